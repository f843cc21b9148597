"""gunicorn settings for `gunicorn wsgi:app` (read automatically from this folder).

The README's "Deploying" section lists the environment variables read here.
"""

import os

cores = os.cpu_count() or 1

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# gunicorn's own advice: two workers per core, plus one. Each has a few threads, so a request
# waiting for SQLite's write lock (or for PostgreSQL) does not hold up the next page.
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * cores + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 4))

# A worker silent for this long is killed and replaced. It must stay well above the SQLite
# busy timeout (SQLITE_BUSY_TIMEOUT_SECONDS, 5), so a write that waits too long ends in a
# clean 503 for the reader, never in a killed worker.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
# On restart or stop, workers finish the requests they have (a comment being saved) first.
graceful_timeout = 30
# Behind nginx, which keeps its own connections to readers.
keepalive = 5
# Signals (systemctl reload/stop) manage the server. gunicorn's control socket would sit in
# the home folder, one path shared by every gunicorn of that user (and, under the sample
# unit's ProtectHome, not writable at all).
control_socket_disable = True

# The app logs one line per request itself (app/logs.py), without query strings or
# addresses; gunicorn's own messages go to stderr.
accesslog = None
errorlog = "-"

# The app alone decides whom to believe about the scheme and the client's address
# (TRUSTED_PROXY_HOPS, through ProxyFix). gunicorn would otherwise believe X-Forwarded-Proto
# from any local connection, so a forged header could make a plain request look like HTTPS.
forwarded_allow_ips = ""
secure_scheme_headers = {}
