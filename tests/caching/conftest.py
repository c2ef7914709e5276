"""Drive the real WSGI stack: the page cache's fast path in front of Django's own handler."""

import uuid
from dataclasses import dataclass

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory, override_settings

from caching import pages
from caching.wsgi import PageCacheApplication


@dataclass(frozen=True)
class Served:
    status: int
    headers: dict
    body: bytes

    @property
    def text(self):
        return self.body.decode()

    @property
    def is_hit(self):
        return self.headers.get("X-Cache") == "hit"


class WSGIClient:
    """Calls a WSGI application as a server would: one environ in, status, headers, body out."""

    def __init__(self, application):
        self.application = application

    def request(self, path, method="GET", **environ):
        path, _, query = path.partition("?")
        environ.setdefault("HTTP_HOST", "testserver")  # As every HTTP/1.1 client sends it.
        environ = RequestFactory()._base_environ(
            PATH_INFO=path, QUERY_STRING=query, REQUEST_METHOD=method, **environ
        )
        started = {}

        def start_response(status, headers, exc_info=None):
            started["status"], started["headers"] = int(status.split()[0]), headers

        # As django.test.Client does: closing connections would end the test's transaction.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            result = self.application(environ, start_response)
            try:
                body = b"".join(result)
            finally:
                if hasattr(result, "close"):
                    result.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        headers = {}
        for name, value in started["headers"]:
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        return Served(started["status"], headers, body)

    def get(self, path, **environ):
        return self.request(path, **environ)

    def head(self, path, **environ):
        return self.request(path, method="HEAD", **environ)

    def fresh(self, path, **environ):
        """What Django renders now, with the page cache out of the way for this one request."""
        with override_settings(QUIRE_PAGE_CACHE=False):
            return self.request(path, **environ)


@pytest.fixture
def page_cache(settings):
    """The page cache switched on, in a fresh local-memory location of its own."""
    settings.QUIRE_PAGE_CACHE = True
    settings.QUIRE_CDN_PURGE_URL = ""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"default-{uuid.uuid4().hex}",
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"pages-{uuid.uuid4().hex}",
        },
    }
    settings.CACHES["schedule"] = settings.CACHES["default"]
    pages._FINGERPRINT = None
    pages.recent_pages.clear()
    yield pages.page_cache()
    pages._FINGERPRINT = None
    pages.recent_pages.clear()


@pytest.fixture
def wsgi(page_cache, db):
    """The site as config.wsgi serves it: the fast path wrapped around Django's handler."""
    return WSGIClient(PageCacheApplication(WSGIHandler()))


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """A write as production makes it: its on-commit work (the invalidation) runs at the end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
