"""Atom feeds: the latest articles, and each article's approved comments."""
