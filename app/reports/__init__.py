"""Readers flagging approved comments for a moderator's attention."""
