from flask import Blueprint
from flask import current_app
from flask import render_template
from flask import request
from flask import send_from_directory

from app import public
from app.site.documents import load_documents
from app.site.documents import site_document
from app.urls import absolute_url

bp = Blueprint("site", __name__)

# Crawlers and feed readers may keep these for a few minutes; they hold nothing personal.
SHARED_CACHE = "public, max-age=300"


@bp.record_once
def read_documents_at_start(state) -> None:
    load_documents(state.app)


@bp.get("/comment-policy")
def comment_policy():
    return document_page("comment_policy")


@bp.get("/privacy")
def privacy_notice():
    return document_page("privacy_notice")


def document_page(name: str):
    document = site_document(current_app, name)
    canonical_url = absolute_url(request.endpoint)
    return render_template("site/document.html", document=document, canonical_url=canonical_url)


@bp.get("/robots.txt")
def robots():
    body = render_template("site/robots.txt", sitemap_url=absolute_url("site.sitemap"))
    return body, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": SHARED_CACHE}


@bp.get("/sitemap.xml")
def sitemap():
    body = render_template("site/sitemap.xml", articles=public.published_articles(limit=None))
    return body, {"Content-Type": "application/xml; charset=utf-8", "Cache-Control": SHARED_CACHE}


@bp.get("/favicon.ico")
def favicon():
    # Browsers and feed readers ask for this path whatever the page links to.
    return send_from_directory(current_app.static_folder, "favicon.ico", max_age=86400)
