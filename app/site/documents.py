"""The site's own pages (comment policy, privacy notice), written in Markdown.

Each ships with a default text in app/site/text/; a newsroom points a setting at its own file.
A newsroom's own file is read when the app starts, so a missing or malformed file stops the
start with a message instead of breaking a page later. The shipped text, which the tests
check, is read on its page's first view: web workers then load neither the YAML parser nor
Markdown (1.7 MB together) until a reader asks for one of these pages.
"""

from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from markupsafe import Markup

from app.articles.importer import FRONT_MATTER
from app.articles.importer import render_article_body
from app.sanitize import as_markup

SHIPPED_TEXT = Path(__file__).resolve().parent / "text"
EXTENSION_KEY = "site_documents"


@dataclass(frozen=True)
class SiteDocument:
    title: str
    summary: str
    body_html: Markup


@dataclass(frozen=True)
class DocumentSource:
    setting: str
    shipped_file: str


DOCUMENT_SOURCES = {
    "comment_policy": DocumentSource("COMMENT_POLICY_FILE", "comment-policy.md"),
    "privacy_notice": DocumentSource("PRIVACY_NOTICE_FILE", "privacy-notice.md"),
}


class SiteDocumentError(RuntimeError):
    """A configured page text cannot be used; the message names the file and the fix."""


def document_path(app: Flask, source: DocumentSource) -> Path:
    configured = app.config.get(source.setting)
    if not configured:
        return SHIPPED_TEXT / source.shipped_file
    return Path(app.instance_path) / configured  # an absolute path replaces the folder


def parse_document(text: str, path: Path) -> SiteDocument:
    """Same format as an article: a front-matter header (title, summary), then Markdown."""
    import yaml  # here, not at the top: see the module's docstring

    match = FRONT_MATTER.match(text.replace("\r\n", "\n"))
    if not match:
        raise SiteDocumentError(f"{path} must start with a header between '---' lines.")
    try:
        header = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as error:
        raise SiteDocumentError(f"{path}: the header is not valid YAML: {error}") from error
    if not isinstance(header, dict) or not header.get("title") or not header.get("summary"):
        raise SiteDocumentError(f"{path}: the header needs a title and a summary.")
    return SiteDocument(
        title=str(header["title"]).strip(),
        summary=str(header["summary"]).strip(),
        # The same Markdown and safelist as articles: an editor's text, still cleaned.
        body_html=as_markup(render_article_body(match.group(2))),
    )


def read_document(app: Flask, source: DocumentSource) -> SiteDocument:
    path = document_path(app, source)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise SiteDocumentError(
            f"{source.setting} points at {path}, which cannot be read: {error.strerror}."
        ) from error
    return parse_document(text, path)


def load_documents(app: Flask) -> None:
    """Check and keep the newsroom's own files now; the shipped ones wait for a reader."""
    app.extensions[EXTENSION_KEY] = {
        name: read_document(app, source)
        for name, source in DOCUMENT_SOURCES.items()
        if app.config.get(source.setting)
    }


def site_document(app: Flask, name: str) -> SiteDocument:
    documents = app.extensions[EXTENSION_KEY]
    if name not in documents:
        # Two threads may both read the shipped file; they keep the same page.
        documents[name] = read_document(app, DOCUMENT_SOURCES[name])
    return documents[name]
