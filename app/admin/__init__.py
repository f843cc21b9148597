"""Admins' pages: the tools only an admin may use."""
