"""The moderators' desk: the review queue and the actions taken on comments."""
