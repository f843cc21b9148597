"""One public copy of each page for every reader who carries no cookie of ours.

A news page is read by thousands for every one who comments. The home page, the article
pages, the feeds and the site's own pages hold nothing of the reader's own for such a reader,
so they are made once, kept as bytes, and answered from the kept copy in front of Flask
(layer.py), by us and by any cache in front of us (policy.py says which headers allow that).
A kept copy is trusted for PUBLIC_COPY_TRUST_SECONDS, then checked against the version of
the public pages (store.py), which every change a reader could see moves.
"""

from collections.abc import Callable
from functools import partial

from flask import Flask

from app.public_copies import policy
from app.public_copies.layer import PublicCopyLayer
from app.public_copies.store import EXTENSION_NAME
from app.public_copies.store import PublicCopies
from app.public_copies.store import public_copies_of


def register(app: Flask, answer_privately: Callable | None = None) -> None:
    """Put the layer in front of Flask; proxies (ProxyFix) must be wrapped around it later.

    `answer_privately(app, environ, session_cookie)` may answer a reader whose only cookie of
    ours is the session, or return None (app/articles/private_front.py)."""
    copies = PublicCopies(
        capacity=app.config["PAGE_CACHE_SIZE"],
        trust_seconds=float(app.config["PUBLIC_COPY_TRUST_SECONDS"]),
        read_version=lambda: policy.current_public_version(app),
    )
    app.extensions[EXTENSION_NAME] = copies
    app.before_request(policy.note_version_before_rendering)
    app.after_request(policy.mark_public_or_private)
    app.wsgi_app = PublicCopyLayer(
        app.wsgi_app,
        copies,
        policy.cookie_names(app.config),
        session_cookie_name=app.config["SESSION_COOKIE_NAME"],
        answer_privately=partial(answer_privately, app) if answer_privately else None,
    )


__all__ = ["register", "public_copies_of"]
