"""Choices a reader or moderator makes in an address (?order=...): each a slug and a label."""

import enum


class SlugChoice(enum.Enum):
    """Members are (slug, label); the first member is the default and has the empty slug."""

    def __init__(self, slug: str, label: str):
        self.slug = slug
        self.label = label

    @classmethod
    def by_slug(cls, slug: str | None):
        """The member named in the address; anything else is the default."""
        return next((choice for choice in cls if choice.slug == slug), next(iter(cls)))
