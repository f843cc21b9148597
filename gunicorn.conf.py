"""gunicorn settings for `gunicorn wsgi:app` (read automatically from this folder)."""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
# Longer than SQLite's 5-second busy timeout, so a waiting write fails cleanly first.
timeout = 30
graceful_timeout = 30
accesslog = "-"
# The path without its query string: searches and tokens stay out of the log.
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'
