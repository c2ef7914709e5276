"""The fast path: a stored page goes out before Django is entered, at close to the server's
own speed. Anything else (a miss, a personal request, a POST) goes to Django unchanged."""

import logging

from config.logging import REQUEST_ID_HEADER, request_id_from

from . import pages

logger = logging.getLogger(__name__)

STATUS_LINES = {200: "200 OK", 304: "304 Not Modified"}


class PageCacheApplication:
    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        page = self._lookup(environ)
        if page is None:
            return self.application(environ, start_response)
        # Every response names its request, as config.logging does for Django's: a reader's
        # report or the proxy's log leads to the same request either way.
        request_id = (REQUEST_ID_HEADER, request_id_from(environ.get("HTTP_X_REQUEST_ID", "")))
        if pages.not_modified(environ, page):
            headers = [h for h in pages.response_headers(page, include_body_length=False)
                       if h[0] in pages.NOT_MODIFIED_HEADERS]  # fmt: skip
            start_response(STATUS_LINES[304], [*headers, request_id])
            return []
        start_response(
            STATUS_LINES[page.status],
            [*pages.response_headers(page), ("X-Cache", "hit"), request_id],
        )
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [page.body]

    def _lookup(self, environ):
        if not pages.is_enabled() or not pages.is_candidate(environ):
            return None
        try:
            return pages.lookup(environ)
        except pages.UNAVAILABLE:
            # A cache that is down costs speed, never the page: Django renders it.
            logger.warning("Page cache unavailable; serving from Django", exc_info=True)
            return None
