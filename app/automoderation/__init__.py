"""Automatic moderation: the rules that hold a comment or send it to spam, and the policy in
force. Domain code, used by the comment path and the desk alike; it knows no views."""
