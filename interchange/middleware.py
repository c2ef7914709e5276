import datetime as dt
import re
from urllib.parse import urlencode

from django.http import HttpResponsePermanentRedirect
from django.urls import reverse

from blog.models import PostAddress

from .links import post_at
from .models import LegacyAddress

# WordPress' plain permalinks: the home page with a query that names the post or page.
QUERY_KEYS = ("p", "page_id", "attachment_id", "cat", "tag")
# WordPress' feeds and search by query (/?feed=rss2, /?s=words), whatever was imported.
QUERY_FEEDS = {"rss2": "blog:feed_rss", "rss": "blog:feed_rss", "rdf": "blog:feed_rss",
               "atom": "blog:feed_atom", "comments-rss2": "comments-feed"}  # fmt: skip
DAY_ARCHIVE = re.compile(r"/([0-9]{4})/([0-9]{2})/([0-9]{2})/?")
# A later page of a list (/page/2/, /category/x/page/3/) or of a post split by <!--nextpage-->
# (/2020/04/05/slug/2/): the first page is the nearest we have.
LATER_LIST_PAGE = re.compile(r"(/(?:.*/)?)page/[0-9]{1,6}/?")
LATER_POST_PAGE = re.compile(r"(/.+/)[0-9]{1,3}/?")
# A post's old address with WordPress' feed/ after it, in any of its feed formats.
POST_FEED = re.compile(r"(/.+/)feed/(?:rss2/|rss/|rdf/|atom/)?")


class LegacyAddressRedirectMiddleware:
    """Old pages, labels, feeds and /?p=123 of an imported blog answer with a 301.

    Only 404s and home-page requests carrying a WordPress query reach the database.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/" and request.method in ("GET", "HEAD"):
            for key in QUERY_KEYS:
                if key in request.GET:
                    target = self._target(LegacyAddress.normalise("/", f"{key}={request.GET[key]}"))
                    if target:
                        return HttpResponsePermanentRedirect(target)
            if request.GET.get("feed") in QUERY_FEEDS:
                return HttpResponsePermanentRedirect(reverse(QUERY_FEEDS[request.GET["feed"]]))
            if "s" in request.GET:
                search = f"{reverse('blog:search')}?{urlencode({'q': request.GET['s']})}"
                return HttpResponsePermanentRedirect(search)
        response = self.get_response(request)
        if response.status_code != 404:
            return response
        path = LegacyAddress.normalise(request.path)
        target = (
            self._target(path)
            or self._without_its_slash(path)
            or self._day_archive(path)
            or self._post_feed(path)
            or self._first_page(path)
        )
        return HttpResponsePermanentRedirect(target) if target and target != path else response

    def _without_its_slash(self, path):
        """An old address typed or linked without its final slash (WordPress adds it)."""
        if path.endswith("/"):
            return None
        return self._target(f"{path}/") or self._post_url(f"{path}/")

    def _first_page(self, path):
        """The first page of a list or of a split post that an address led to a later page of
        (a year's archive, /2023/, is no later page: its 404 stays one)."""
        if match := LATER_LIST_PAGE.fullmatch(path):
            first = match.group(1)
            return "/" if first == "/" else self._target(first)
        if match := LATER_POST_PAGE.fullmatch(path):
            return self._post_url(match.group(1))
        return None

    @staticmethod
    def _post_led_to(path):
        """The public post an old address led to: by its PostAddress or its LegacyAddress, or
        as its own address here (WordPress' /%year%/%monthnum%/%postname%/ is Quire's)."""
        post = PostAddress.public_post_at(path)
        if post is None:
            legacy = LegacyAddress.objects.filter(path=path, post__isnull=False)
            legacy = legacy.select_related("post").first()
            post = legacy.post if legacy else post_at(path)
        return post if post is not None and post.is_published else None

    def _post_url(self, path):
        post = self._post_led_to(path)
        return post.get_absolute_url() if post is not None else None

    @staticmethod
    def _day_archive(path):
        """WordPress' archive of one day (/2020/04/05/): its month's, the nearest we have."""
        match = DAY_ARCHIVE.fullmatch(path)
        if match is None:
            return None
        year, month, day = (int(part) for part in match.groups())
        try:
            dt.date(year, month, day)
        except ValueError:
            return None
        return reverse("blog:archive_month", kwargs={"year": year, "month": month})

    def _post_feed(self, path):
        """A post's feed on WordPress (its old address + feed/): its comments' feed here."""
        match = POST_FEED.fullmatch(path)
        if match is None:
            return None
        post = self._post_led_to(match.group(1))
        return reverse("comments-post-feed", kwargs={"post_id": post.pk}) if post else None

    @staticmethod
    def _target(path):
        address = LegacyAddress.objects.filter(path=path).select_related("post", "page", "tag")
        address = address.first()
        return address.target() if address else None
