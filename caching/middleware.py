import logging
import time

from django.conf import settings
from django.utils import timezone
from django.utils.cache import patch_cache_control

from blog import publishing

from . import pages

logger = logging.getLogger(__name__)

# Public pages, by URL name: the same for every anonymous reader. Search is left out: its
# addresses are endless, and each would take a place in the cache for one reader.
CACHEABLE_URL_NAMES = {
    "blog:post_list", "blog:post_detail", "blog:tag_detail", "blog:archive",
    "blog:archive_year", "blog:archive_month", "blog:page_detail", "blog:feed_atom",
    "blog:feed_rss", "blog:tag_feed_atom", "blog:tag_feed_rss", "sitemap", "robots_txt",
    "comments-feed", "comments-post-feed",
}  # fmt: skip


def _valid_until(*moments):
    """Until the page next changes by the clock alone: a post falls due, the page said when
    (`blog.publishing.page_changes_at`), or the year turns (every footer shows it), in the
    blog's time zone."""
    now = timezone.localtime()
    new_year = now.replace(year=now.year + 1, month=1, day=1, hour=0, minute=0, second=0,
                           microsecond=0)  # fmt: skip
    limits = [new_year.timestamp(), time.time() + settings.QUIRE_PAGE_CACHE_SECONDS]
    return min([*limits, *(moment.timestamp() for moment in moments if moment)])


def _private(response):
    """What this cache does not share, no cache in front may (many CDNs ignore Vary: Cookie)."""
    if "Cache-Control" not in response:
        patch_cache_control(response, private=True)
    return response


def _saw_personal_state(request):
    """A second guard, after pages.is_personal: whatever Django itself took for a session or
    for messages, the page it rendered may show that reader's own and is never shared."""
    session = getattr(request, "session", None)
    return bool(
        (session is not None and session.session_key) or pages.MESSAGES_COOKIE in request.COOKIES
    )


class PageCacheMiddleware:
    """Stores each cacheable page as it is rendered, under the generation read before the view
    ran: a write that commits meanwhile replaces the generation, so that copy never serves."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (pages.is_enabled() and pages.is_candidate(request.META)):
            return _private(self.get_response(request))
        if not publishing.caches_are_current():  # Nothing stored now would outlive the debt.
            return _private(self.get_response(request))
        try:
            generation = pages.current_generation()
            due = publishing.next_due_at()
        except pages.UNAVAILABLE:
            logger.warning("Page cache unavailable; not storing", exc_info=True)
            return _private(self.get_response(request))
        response = self.get_response(request)
        query = pages.page_query(request.META.get("QUERY_STRING", ""))
        if not self._is_storable(request, response, query):
            return _private(response)
        valid_until = _valid_until(due, getattr(request, "page_changes_at", None))
        try:
            if query and not pages.query_page_allowed(generation):
                return _private(response)
            page = pages.store(
                request.META,
                request.path_info,
                list(response.items()),
                response.status_code,
                response.content,
                generation=generation,
                valid_until=valid_until,
            )
        except pages.UNAVAILABLE:
            logger.warning("Page cache unavailable; not storing", exc_info=True)
            return _private(response)
        return self._as_stored(response, page)

    def _is_storable(self, request, response, query):
        match = request.resolver_match
        cache_control = response.get("Cache-Control", "")
        # Django renders a HEAD in full (the server drops the body): it stores as a GET would.
        return (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and match is not None
            and match.view_name in CACHEABLE_URL_NAMES
            and pages.is_page_query(match.view_name, query)
            and "private" not in cache_control
            and "no-store" not in cache_control
            and not _saw_personal_state(request)
            and pages.is_usual_host(request.get_host())
        )

    def _as_stored(self, response, page):
        """The fresh response as a hit would send it: same bytes, same validators."""
        for header in list(response.headers):
            del response.headers[header]
        for name, value in pages.response_headers(page):
            response.headers[name] = value
        response.headers["X-Cache"] = "miss"
        response.content = page.body
        return response
