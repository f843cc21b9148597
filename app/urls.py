"""Full URLs (scheme and host) for links read away from the page.

Canonical links, Open Graph, feeds and the sitemap are read by crawlers and feed readers,
which need the site's public URL, not a path. SITE_URL names it; without it the URL
of the request is used. ("Address" in this code means an email address.)
"""

from flask import current_app
from flask import url_for


def absolute_url(endpoint: str, **values) -> str:
    site_url = current_app.config.get("SITE_URL")
    if not site_url:
        return url_for(endpoint, _external=True, **values)
    return site_url + url_for(endpoint, **values)
