"""Readers' pages: the home page and article pages."""
