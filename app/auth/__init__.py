"""Moderator login and logout."""
