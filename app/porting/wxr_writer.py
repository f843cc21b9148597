"""Writing WXR 1.2, the format WordPress's own importer reads (and so does ours).

Text goes in CDATA sections as WordPress writes it. Two things WordPress does not carry
ride along as metadata it keeps and ignores: a comment's browser (user agent) and an
article's comment mode ("held" is ours alone).
"""

import html
import re
from datetime import UTC
from datetime import datetime
from datetime import tzinfo
from email.utils import format_datetime
from typing import Any
from xml.sax.saxutils import escape

from app.models import CommentMode
from app.models import CommentStatus
from app.porting.wxr import COMMENT_MODE_META
from app.porting.wxr import USER_AGENT_META

WXR_VERSION = "1.2"
NAMESPACES = {
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wp": "http://wordpress.org/export/1.2/",
}
APPROVED_VALUES = {
    CommentStatus.APPROVED: "1",
    CommentStatus.PENDING: "0",
    CommentStatus.SPAM: "spam",
    CommentStatus.TRASH: "trash",
}
# Characters XML 1.0 cannot hold at all; stored text should have none, but a file that no
# parser can read would be worse than a dropped character.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
WORDPRESS_DATE = "%Y-%m-%d %H:%M:%S"


class WxrWriter:
    def __init__(self, site_name: str, site_url: str | None, site_timezone: tzinfo):
        self.site_name = site_name
        self.site_url = site_url or ""
        self.site_timezone = site_timezone

    def start(self, exported_at: datetime) -> str:
        namespaces = "".join(f'\n\txmlns:{prefix}="{uri}"' for prefix, uri in NAMESPACES.items())
        return (
            '<?xml version="1.0" encoding="UTF-8" ?>\n'
            f'<rss version="2.0"{namespaces}\n>\n<channel>\n'
            f"\t<title>{_text(self.site_name)}</title>\n"
            f"\t<link>{_text(self.site_url)}</link>\n"
            "\t<description></description>\n"
            f"\t<pubDate>{format_datetime(exported_at.astimezone(UTC), usegmt=True)}</pubDate>\n"
            f"\t<wp:wxr_version>{WXR_VERSION}</wp:wxr_version>\n"
            f"\t<wp:base_site_url>{_text(self.site_url)}</wp:base_site_url>\n"
            f"\t<wp:base_blog_url>{_text(self.site_url)}</wp:base_blog_url>\n"
            "\t<generator>The Morning Ledger</generator>\n"
        )

    def article_start(self, article: Any) -> str:
        address = f"{self.site_url}/articles/{article.slug}"
        published = format_datetime(article.published_at.astimezone(UTC), usegmt=True)
        comment_status = "closed" if article.comment_mode is CommentMode.CLOSED else "open"
        return (
            "\t<item>\n"
            f"\t\t<title>{_cdata(_entities(article.title))}</title>\n"
            f"\t\t<link>{_text(address)}</link>\n"
            f"\t\t<pubDate>{published}</pubDate>\n"
            f"\t\t<dc:creator>{_cdata(_entities(article.byline))}</dc:creator>\n"
            f'\t\t<guid isPermaLink="false">{_text(address)}</guid>\n'
            "\t\t<description></description>\n"
            f"\t\t<content:encoded>{_cdata(article.body_html)}</content:encoded>\n"
            f"\t\t<excerpt:encoded>{_cdata(article.summary)}</excerpt:encoded>\n"
            f"\t\t<wp:post_id>{article.id}</wp:post_id>\n"
            f"\t\t<wp:post_date>{_cdata(self._local(article.published_at))}</wp:post_date>\n"
            f"\t\t<wp:post_date_gmt>{_cdata(_gmt(article.published_at))}</wp:post_date_gmt>\n"
            f"\t\t<wp:comment_status>{_cdata(comment_status)}</wp:comment_status>\n"
            f"\t\t<wp:ping_status>{_cdata('closed')}</wp:ping_status>\n"
            f"\t\t<wp:post_name>{_cdata(article.slug)}</wp:post_name>\n"
            f"\t\t<wp:status>{_cdata('publish')}</wp:status>\n"
            "\t\t<wp:post_parent>0</wp:post_parent>\n"
            "\t\t<wp:menu_order>0</wp:menu_order>\n"
            f"\t\t<wp:post_type>{_cdata('post')}</wp:post_type>\n"
            f"\t\t<wp:post_password>{_cdata('')}</wp:post_password>\n"
            "\t\t<wp:is_sticky>0</wp:is_sticky>\n"
            + _meta("postmeta", COMMENT_MODE_META, article.comment_mode.value, indent="\t\t")
        )

    def comment(self, comment: Any, article: Any) -> str:
        agent = (
            _meta("commentmeta", USER_AGENT_META, comment.user_agent, indent="\t\t\t")
            if comment.user_agent
            else ""
        )
        return (
            "\t\t<wp:comment>\n"
            f"\t\t\t<wp:comment_id>{comment.id}</wp:comment_id>\n"
            f"\t\t\t<wp:comment_author>{_cdata(_entities(comment.author_name))}</wp:comment_author>\n"
            "\t\t\t<wp:comment_author_email>"
            f"{_cdata(comment.author_email or '')}</wp:comment_author_email>\n"
            "\t\t\t<wp:comment_author_url>"
            f"{_text(comment.author_website or '')}</wp:comment_author_url>\n"
            "\t\t\t<wp:comment_author_IP>"
            f"{_cdata(comment.ip_address or '')}</wp:comment_author_IP>\n"
            "\t\t\t<wp:comment_date>"
            f"{_cdata(self._local(comment.created_at))}</wp:comment_date>\n"
            "\t\t\t<wp:comment_date_gmt>"
            f"{_cdata(_gmt(comment.created_at))}</wp:comment_date_gmt>\n"
            f"\t\t\t<wp:comment_content>{_cdata(comment.body_raw)}</wp:comment_content>\n"
            "\t\t\t<wp:comment_approved>"
            f"{_cdata(APPROVED_VALUES[comment.status])}</wp:comment_approved>\n"
            f"\t\t\t<wp:comment_type>{_cdata('comment')}</wp:comment_type>\n"
            f"\t\t\t<wp:comment_parent>{comment.parent_id or 0}</wp:comment_parent>\n"
            "\t\t\t<wp:comment_user_id>0</wp:comment_user_id>\n"
            f"{agent}"
            "\t\t</wp:comment>\n"
        )

    def article_end(self, article: Any) -> str:
        return "\t</item>\n"

    def end(self) -> str:
        return "</channel>\n</rss>\n"

    def _local(self, moment: datetime) -> str:
        return moment.astimezone(self.site_timezone).strftime(WORDPRESS_DATE)


def _gmt(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(WORDPRESS_DATE)


def _meta(element: str, key: str, value: str, indent: str) -> str:
    return (
        f"{indent}<wp:{element}>\n"
        f"{indent}\t<wp:meta_key>{_cdata(key)}</wp:meta_key>\n"
        f"{indent}\t<wp:meta_value>{_cdata(value)}</wp:meta_value>\n"
        f"{indent}</wp:{element}>\n"
    )


def _entities(text: str) -> str:
    """As WordPress stores names and titles ("Tom &amp; Jerry"); our reader unescapes them."""
    return html.escape(text, quote=False)


def _cdata(text: str) -> str:
    # "]]>" would end the section early: split it across two. A carriage return in CDATA
    # would be read back as a newline, so it goes between sections, as a character reference.
    safe = NOT_XML.sub("", text).replace("]]>", "]]]]><![CDATA[>")
    return "<![CDATA[" + safe.replace("\r", "]]>&#13;<![CDATA[") + "]]>"


def _text(text: str) -> str:
    return escape(NOT_XML.sub("", text)).replace("\r", "&#13;")
