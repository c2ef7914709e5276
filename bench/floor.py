"""The server's floor: a bare WSGI app, under bench's gunicorn settings, sending the post page's
bytes and headers (captured by bench/run.py into BENCH_FLOOR_DIR). No Django, no cache."""

import json
import os
from pathlib import Path

_DIR = Path(os.environ["BENCH_FLOOR_DIR"])
BODY = (_DIR / "page.body").read_bytes()
HEADERS = [tuple(header) for header in json.loads((_DIR / "page.headers.json").read_text())]


def application(environ, start_response):
    start_response("200 OK", HEADERS)
    return [BODY]
