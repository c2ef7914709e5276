"""gunicorn's settings, from the environment: `gunicorn -c config/gunicorn.py` (see README).

`make serve` and `make bench` use this file; production does too (Dockerfile).
"""

import os

wsgi_app = "config.wsgi:application"

bind = os.environ.get(
    "GUNICORN_BIND", f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
)
# Sync workers render pages on the CPU and wait on the database: twice the cores keeps them busy.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1) + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# A database that hangs mid-request fails the request with a logged error before the worker is
# killed without one (config/settings.py reads this; PostgreSQL only).
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT_MS", str(max(1, timeout - 5) * 1000))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# A proxy in front reuses its connections; a few seconds is enough for it, too short for a leak.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# gunicorn's most (its default, 4094, answered a long search link with a bare 414 of its own).
limit_request_line = 8190
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
# Preload: Django is imported once and shared copy-on-write, and a broken deploy fails at start.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") != "0"
# Its default path is one per user: several instances on a host (the benchmark's) would clash.
control_socket_disable = True
