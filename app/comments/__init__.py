"""The comment form and what happens when a reader sends it."""
