"""A comment row as the reference writers and the floor app insert it, without the site's ORM."""

INSERT_COMMENT = (
    "INSERT INTO comments (article_id, author_name, author_email, author_website, body_raw,"
    " body_html, status, created_at, ip_address, user_agent)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
