"""Logs as one JSON object per line on standard output, each carrying its request's id, so a
log collector can search them and one request's lines can be found from the proxy's log."""

import contextvars
import datetime as dt
import json
import logging
import os
import re
import time

from config.health import HEALTH_PATH

request_id_var = contextvars.ContextVar("request_id", default="-")

REQUEST_ID_HEADER = "X-Request-ID"
# An id from outside is kept only if it cannot forge a log line or bloat one.
VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
# The attributes every LogRecord has; anything else was passed with `extra=` and is kept.
STANDARD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}

request_logger = logging.getLogger("quire.request")


class RequestIdFilter(logging.Filter):
    """Stamps every record with the id of the request being served ("-" outside one)."""

    def filter(self, record):
        record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", request_id_var.get()),
            "message": record.getMessage(),
        }
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "method"):  # django.request, django.security
            entry.update(method=request.method, path=request.get_full_path())
        for name, value in vars(record).items():
            if name not in STANDARD_ATTRIBUTES and name not in entry and name != "request":
                entry[name] = value if isinstance(value, str | int | float | bool) else repr(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False)


def request_id_from(given):
    """The proxy's id for a request when it is a sane one, else a new random one."""
    return given if VALID_REQUEST_ID.fullmatch(given) else os.urandom(16).hex()


class RequestIdMiddleware:
    """Takes the proxy's X-Request-ID (or makes one), puts it on the response and on every log
    record of the request, and logs the request in one line when it is answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER, ""))
        token = request_id_var.set(request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            self.log(request, response, started)
            return response
        finally:
            request_id_var.reset(token)

    def log(self, request, response, started):
        if request.path_info == HEALTH_PATH and response.status_code == 200:
            return  # A probe every few seconds is not news; a failing one is.
        # The access line; errors get their own from django.request, with the traceback.
        status = response.status_code
        request_logger.info(
            "%s %s %s",
            request.method,
            request.get_full_path(),
            status,
            extra={
                "method": request.method,
                "path": request.get_full_path(),
                "status": status,
                "duration_ms": round((time.monotonic() - started) * 1000, 1),
                "remote_addr": request.META.get("REMOTE_ADDR", ""),
            },
        )
