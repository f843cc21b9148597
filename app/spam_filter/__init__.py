"""A spam filter that learns from this site's moderators, on this site's own machine."""
