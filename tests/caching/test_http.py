"""What a browser or a CDN sees of a cached page: validators, encodings, headers, bypasses."""

import datetime as dt
import gzip
import re
from urllib.parse import unquote

import brotli
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client
from django.urls import reverse
from taggit.models import Tag

from blog.models import Post
from caching import pages
from caching.wsgi import PageCacheApplication
from tests.factories import CommentFactory, PostFactory

from .conftest import WSGIClient

HTTPS = {"wsgi.url_scheme": "https", "SERVER_PORT": "443"}
# CSRF cookies of the right shape: a malformed one is replaced, and that response not stored.
READER_TOKEN = "firstreadertoken" * 2
OTHER_TOKEN = "anotherreadertkn" * 2


@pytest.fixture
def post(db):
    return PostFactory(title="A long walk", allow_comments=False, tags=["walking"])


@pytest.mark.usefixtures("page_cache")
def test_a_hit_sends_the_same_security_headers_as_the_page_django_rendered(post, settings):
    settings.SECURE_HSTS_SECONDS = 3600  # Read as the middleware is made: before the handler.
    wsgi = WSGIClient(PageCacheApplication(WSGIHandler()))
    miss = wsgi.get("/", **HTTPS)
    hit = wsgi.get("/", **HTTPS)
    assert hit.is_hit
    for header in (
        "Strict-Transport-Security",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
        "Content-Security-Policy",
        "X-Frame-Options",
    ):
        assert header in miss.headers, header
        assert hit.headers.get(header) == miss.headers[header], header


def test_a_hit_is_the_page_django_rendered(wsgi, post):
    miss = wsgi.get(post.get_absolute_url())
    hit = wsgi.get(post.get_absolute_url())
    assert hit.is_hit and not miss.is_hit
    assert hit.body == miss.body == wsgi.fresh(post.get_absolute_url()).body
    assert hit.headers["ETag"] == miss.headers["ETag"]
    assert hit.headers["Content-Length"] == str(len(hit.body))


@pytest.mark.parametrize("path", ["/", "/feed/", "/sitemap.xml", "/robots.txt", "/archive/"])
def test_if_none_match_gets_304_without_a_body(wsgi, post, path):
    first = wsgi.get(path)
    again = wsgi.get(path, HTTP_IF_NONE_MATCH=first.headers["ETag"])
    assert again.status == 304
    assert again.body == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    assert "Content-Length" not in again.headers


def test_a_compressed_etag_matches_the_same_version(wsgi, post):
    br = wsgi.get("/", HTTP_ACCEPT_ENCODING="br")
    assert br.headers["ETag"].endswith('-br"')
    assert wsgi.get("/", HTTP_IF_NONE_MATCH=br.headers["ETag"]).status == 304
    assert wsgi.get("/", HTTP_IF_NONE_MATCH=f"W/{br.headers['ETag']}").status == 304


def test_an_old_etag_gets_the_new_page(wsgi, post, on_commit):
    first = wsgi.get("/")
    with on_commit():
        post.title = "A longer walk"
        post.save()
    again = wsgi.get("/", HTTP_IF_NONE_MATCH=first.headers["ETag"])
    assert again.status == 200
    assert "A longer walk" in again.text


def test_if_modified_since(wsgi, post, time_machine):
    time_machine.move_to(dt.datetime.now(dt.UTC), tick=False)
    wsgi.get("/robots.txt")  # Any request announces the new post: a new generation.
    time_machine.shift(5)  # Most pages are stored seconds or more after the last change.
    first = wsgi.get("/")
    since = first.headers["Last-Modified"]
    assert wsgi.get("/", HTTP_IF_MODIFIED_SINCE=since).status == 304
    assert wsgi.get("/", HTTP_IF_MODIFIED_SINCE="Mon, 01 Jan 2001 00:00:00 GMT").status == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110).
    other = wsgi.get("/", HTTP_IF_MODIFIED_SINCE=since, HTTP_IF_NONE_MATCH='"other"')
    assert other.status == 200


def test_if_modified_since_never_vouches_for_a_copy_made_before_a_change_in_its_second(
    wsgi, post, on_commit, time_machine
):
    """Dates are to the second: a change between two renders of one second keeps the date."""
    start = dt.datetime(2030, 1, 1, 12, 0, 0, 100_000, tzinfo=dt.UTC)
    time_machine.move_to(start, tick=False)
    wsgi.get("/robots.txt")  # Any request announces the new post: a new generation.
    time_machine.move_to(start + dt.timedelta(seconds=5), tick=False)
    before = wsgi.get("/")
    time_machine.move_to(start + dt.timedelta(seconds=5, milliseconds=200), tick=False)
    with on_commit():
        post.title = "Retitled in the same second"
        post.save()
    time_machine.move_to(start + dt.timedelta(seconds=5, milliseconds=400), tick=False)
    after = wsgi.get("/")
    assert after.headers["Last-Modified"] == before.headers["Last-Modified"]
    assert "Retitled in the same second" in after.text

    asked = wsgi.get("/", HTTP_IF_MODIFIED_SINCE=before.headers["Last-Modified"])
    assert asked.status == 200
    assert "Retitled in the same second" in asked.text

    # That copy stays ambiguous by date, not by ETag.
    time_machine.move_to(start + dt.timedelta(seconds=7), tick=False)
    assert wsgi.get("/", HTTP_IF_NONE_MATCH=after.headers["ETag"]).status == 304
    # The next change's pages, stored seconds after it, are vouched for by their date.
    with on_commit():
        post.title = "Retitled again"
        post.save()
    time_machine.move_to(start + dt.timedelta(seconds=9), tick=False)
    later = wsgi.get("/")
    assert wsgi.get("/", HTTP_IF_MODIFIED_SINCE=later.headers["Last-Modified"]).status == 304


def test_head_is_answered_from_the_cache_without_a_body(wsgi, post):
    get = wsgi.get("/")
    head = wsgi.head("/")
    assert head.is_hit
    assert head.status == 200
    assert head.body == b""
    assert head.headers["Content-Length"] == str(len(get.body))
    assert head.headers["ETag"] == get.headers["ETag"]


def test_a_head_that_misses_stores_the_page_and_carries_its_validators(wsgi, post):
    """A link checker or a CDN asks HEAD first: its answer is the GET's, headers and all."""
    head = wsgi.head("/")
    assert head.status == 200 and head.headers["X-Cache"] == "miss"
    get = wsgi.get("/")
    assert get.is_hit
    assert head.headers["ETag"] == get.headers["ETag"]
    assert head.headers["Last-Modified"] == get.headers["Last-Modified"]


def test_every_answer_names_its_request_hits_and_304s_too(wsgi, post):
    miss = wsgi.get("/", HTTP_X_REQUEST_ID="edge-1")
    hit = wsgi.get("/", HTTP_X_REQUEST_ID="edge-2")
    not_modified = wsgi.get("/", HTTP_IF_NONE_MATCH=hit.headers["ETag"], HTTP_X_REQUEST_ID="edge-3")
    assert (miss.headers["X-Request-ID"], hit.headers["X-Request-ID"]) == ("edge-1", "edge-2")
    assert hit.is_hit and not_modified.status == 304
    assert not_modified.headers["X-Request-ID"] == "edge-3"
    made = {wsgi.get("/").headers["X-Request-ID"] for _ in range(3)}
    forged = wsgi.get("/", HTTP_X_REQUEST_ID='x"\n{"level": "forged"}').headers["X-Request-ID"]
    assert len(made) == 3 and all(re.fullmatch("[0-9a-f]{32}", made_id) for made_id in made)
    assert re.fullmatch("[0-9a-f]{32}", forged), "an id that could forge a log line is replaced"


@pytest.mark.parametrize(
    ("accept", "coding", "decode"),
    [
        ("gzip, deflate, br", "br", brotli.decompress),
        ("gzip", "gzip", gzip.decompress),
        ("br;q=0, gzip;q=0.5", "gzip", gzip.decompress),
        ("*", "br", brotli.decompress),
    ],
)
def test_compressed_bodies_decode_to_the_same_page(wsgi, post, accept, coding, decode):
    plain = wsgi.get("/", HTTP_ACCEPT_ENCODING="identity").body
    miss = wsgi.get("/feed/", HTTP_ACCEPT_ENCODING=accept)
    hit = wsgi.get("/feed/", HTTP_ACCEPT_ENCODING=accept)
    for served in (miss, hit):
        assert served.headers["Content-Encoding"] == coding
        assert served.headers["Vary"] == "Accept-Encoding"
        assert decode(served.body) == wsgi.fresh("/feed/").body
    assert hit.is_hit
    assert len(hit.body) < len(decode(hit.body))
    assert decode(wsgi.get("/", HTTP_ACCEPT_ENCODING=accept).body) == plain


def test_no_accepted_encoding_gets_the_plain_page(wsgi, post):
    for accept in ("", "identity", "gzip;q=0, br;q=0"):
        served = wsgi.get("/", HTTP_ACCEPT_ENCODING=accept)
        assert "Content-Encoding" not in served.headers
        assert served.body.startswith(b"<!DOCTYPE html>") or b"<html" in served.body[:200]


def test_cache_control_lets_a_cdn_keep_pages_only_when_it_can_be_purged(wsgi, post, settings):
    served = wsgi.get("/")
    assert served.headers["Cache-Control"] == "public, max-age=0, s-maxage=0, must-revalidate"
    assert served.headers["Cache-Tag"] == served.headers["Surrogate-Key"] == "quire-pages"

    settings.QUIRE_CDN_PURGE_URL = "http://127.0.0.1:8299/purge"
    settings.QUIRE_CDN_MAX_AGE = 600
    assert "s-maxage=600" in wsgi.get("/").headers["Cache-Control"]


def test_s_maxage_ends_when_a_scheduled_post_is_due(wsgi, post, settings, time_machine):
    time_machine.move_to(dt.datetime(2024, 11, 1, 12, 0, tzinfo=dt.UTC), tick=False)
    settings.QUIRE_CDN_PURGE_URL = "http://127.0.0.1:8299/purge"
    PostFactory(published_at=dt.datetime(2024, 11, 1, 12, 2, tzinfo=dt.UTC), title="Soon")
    wsgi.get("/")
    assert "s-maxage=120," in wsgi.get("/").headers["Cache-Control"]


def set_a_cookie(get_response):
    """Some middleware of tomorrow that gives every reader a cookie of their own."""

    def middleware(request):
        response = get_response(request)
        response.set_cookie("reader", request.META.get("HTTP_X_READER", "anonymous"))
        return response

    return middleware


@pytest.mark.usefixtures("page_cache")
def test_a_page_that_sets_a_cookie_is_never_stored(post, settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.caching.test_http.set_a_cookie"]
    wsgi = WSGIClient(PageCacheApplication(WSGIHandler()))
    first = wsgi.get(post.get_absolute_url(), HTTP_X_READER="ada")
    assert "reader=ada" in first.headers["Set-Cookie"]
    second = wsgi.get(post.get_absolute_url(), HTTP_X_READER="bea")
    assert not second.is_hit
    assert "reader=bea" in second.headers["Set-Cookie"]


@pytest.mark.parametrize(
    "path", ["/2001/01/nothing-here/", "/tag/nothing/", "/p/nothing/", "/no/such/page/"]
)
def test_a_404_is_never_stored(wsgi, post, path):
    assert wsgi.get(path).status == 404
    again = wsgi.get(path)
    assert again.status == 404
    assert not again.is_hit


def test_a_redirect_is_never_stored_and_an_old_address_follows_the_post(wsgi, post, on_commit):
    old = post.get_absolute_url()
    wsgi.get(old)
    with on_commit():
        post.slug = "moved-on"
        post.save()
    for _ in range(2):
        moved = wsgi.get(old)
        assert moved.status == 301
        assert moved.headers["Location"] == post.get_absolute_url()
        assert "X-Cache" not in moved.headers


def test_search_is_never_cached(wsgi, post):
    wsgi.get("/search/?q=walk")
    assert not wsgi.get("/search/?q=walk").is_hit


def test_post_is_never_answered_from_the_cache(wsgi, post):
    wsgi.get("/")
    assert not wsgi.request("/", method="POST").is_hit


@pytest.fixture
def staff_cookie(db, author):
    client = Client()
    client.force_login(author)
    return f"sessionid={client.cookies['sessionid'].value}"


def test_staff_with_a_session_always_get_a_fresh_page(wsgi, post, staff_cookie):
    wsgi.get("/")
    assert wsgi.get("/").is_hit
    # A write that tells nobody: only a fresh render can show it.
    Post.objects.filter(pk=post.pk).update(title="Silently renamed")

    staff = wsgi.get("/", HTTP_COOKIE=staff_cookie)
    assert "Silently renamed" in staff.text
    assert "X-Cache" not in staff.headers
    assert "A long walk" in wsgi.get("/").text  # The anonymous copy was not replaced by it.


@pytest.mark.parametrize("who", ["staff", "anonymous"])
def test_a_page_the_cache_does_not_share_tells_caches_in_front_to_keep_it_private(
    wsgi, post, staff_cookie, who
):
    """A CDN that ignores Vary: Cookie must not hand a staff page, or a search, to everyone."""
    if who == "staff":
        served = wsgi.get(post.get_absolute_url(), HTTP_COOKIE=staff_cookie)
    else:
        served = wsgi.get("/search/?q=walk")
    assert served.status == 200
    assert served.headers["Cache-Control"] == "private"
    shared = wsgi.get(post.get_absolute_url())
    assert "public" in shared.headers["Cache-Control"]


@pytest.mark.usefixtures("page_cache")
def test_a_renamed_session_cookie_still_bypasses_the_cache(post, settings, author):
    settings.SESSION_COOKIE_NAME = "quire_session"
    client = Client()
    client.force_login(author)
    wsgi = WSGIClient(PageCacheApplication(WSGIHandler()))
    wsgi.get("/")
    Post.objects.filter(pk=post.pk).update(title="Silently renamed")
    cookie = f"quire_session={client.cookies['quire_session'].value}"
    assert "Silently renamed" in wsgi.get("/", HTTP_COOKIE=cookie).text


def test_a_page_rendered_for_staff_is_never_stored(wsgi, post, staff_cookie):
    wsgi.get("/", HTTP_COOKIE=staff_cookie)
    wsgi.get("/", HTTP_COOKIE=f"csrftoken=x; {staff_cookie}")
    assert wsgi.get("/").headers["X-Cache"] == "miss"


def test_a_reader_who_just_commented_sees_their_waiting_comment_and_nobody_else_does(
    wsgi, db, settings
):
    settings.QUIRE_COMMENTS_MIN_FILL_SECONDS = 0
    from tests.comments.conftest import form_data

    post = PostFactory(title="On walking")
    reader = Client()
    # A first-time commenter is held for moderation; only their session knows the comment.
    response = reader.post("/comments/post/", form_data(post, comment="My first words here."))
    assert response.status_code == 302
    cookies = "; ".join(f"{name}={morsel.value}" for name, morsel in reader.cookies.items())
    assert "sessionid=" in cookies

    own = wsgi.get(post.get_absolute_url(), HTTP_COOKIE=cookies)
    assert "My first words here." in own.text
    assert "X-Cache" not in own.headers
    for _ in range(2):  # With a CSRF cookie, the anonymous page may be stored: never with it.
        anonymous = wsgi.get(post.get_absolute_url(), HTTP_COOKIE=f"csrftoken={OTHER_TOKEN}")
        assert "My first words here." not in anonymous.text


@pytest.mark.parametrize(
    "spelling",
    ["sessionid ={key}", " sessionid= {key}", "a=1;sessionid\t={key}", "x=1;  sessionid={key} "],
)
def test_no_spelling_of_the_session_cookie_django_reads_gets_a_waiting_comment_stored(
    wsgi, db, settings, spelling
):
    """Django strips the spaces around a cookie's name: so must the cache's look at it, or a
    reader's own waiting comment is stored and shown to everyone (moderation bypassed)."""
    settings.QUIRE_COMMENTS_MIN_FILL_SECONDS = 0
    from tests.comments.conftest import form_data

    post = PostFactory(title="On walking")
    reader = Client()
    reader.post("/comments/post/", form_data(post, comment="Held words, for nobody else."))
    key = reader.cookies["sessionid"].value
    own = wsgi.get(post.get_absolute_url(), HTTP_COOKIE=spelling.format(key=key))
    assert "Held words, for nobody else." in own.text  # Django did read the session.
    for _ in range(2):
        anonymous = wsgi.get(post.get_absolute_url())
        assert "Held words, for nobody else." not in anonymous.text


@pytest.mark.parametrize("cookie", ["sessionid=abc", "messages=abc", "a=1; sessionid=abc"])
def test_a_request_with_a_personal_cookie_is_not_answered_from_the_cache(wsgi, post, cookie):
    wsgi.get("/")
    assert not wsgi.get("/", HTTP_COOKIE=cookie).is_hit


def test_a_stored_page_is_the_same_for_every_anonymous_reader(wsgi, post):
    """Nothing of the reader who happened to cause the render is kept in the stored page."""
    first = wsgi.get(post.get_absolute_url(), HTTP_COOKIE=f"csrftoken={READER_TOKEN}")
    second = wsgi.get(post.get_absolute_url(), HTTP_COOKIE=f"csrftoken={OTHER_TOKEN}")
    assert second.is_hit
    assert second.body == wsgi.fresh(post.get_absolute_url()).body
    assert READER_TOKEN.encode() not in first.body
    assert "Set-Cookie" not in second.headers


@pytest.mark.parametrize(
    ("forwarded", "renders_apart"),
    [
        ({"HTTP_X_FORWARDED_HOST": "mirror.example"}, True),
        ({"HTTP_X_FORWARDED_PROTO": "https"}, True),
        ({"HTTP_X_FORWARDED_PROTO": "HTTPS"}, False),  # Not Django's "https": http links.
    ],
    ids=["forwarded host", "forwarded proto", "forwarded proto in capitals"],
)
def test_behind_a_proxy_a_page_is_keyed_on_the_host_and_scheme_django_renders(
    wsgi, post, settings, forwarded, renders_apart
):
    """A proxy header Django reads must be in the key, or one reader's variant reaches all."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.USE_X_FORWARDED_HOST = True
    settings.ALLOWED_HOSTS = ["testserver", "mirror.example"]
    settings.SECURE_SSL_REDIRECT = False
    path = post.get_absolute_url()

    with_header = wsgi.get(path, **forwarded)
    plain = wsgi.get(path)
    assert with_header.status == plain.status == 200
    assert plain.body == wsgi.fresh(path).body
    assert with_header.body == wsgi.fresh(path, **forwarded).body
    assert (plain.body != with_header.body) == renders_apart
    assert wsgi.get(path, **forwarded).is_hit and wsgi.get(path).is_hit


@pytest.mark.parametrize("label", ["café", "日本語"])
def test_a_page_whose_address_is_not_ascii_is_served_from_the_cache(wsgi, label):
    """The server hands PATH_INFO over as latin-1 text of the bytes; Django decodes it as UTF-8."""
    PostFactory(title="Labelled", tags=[label], allow_comments=False)
    path = unquote(reverse("blog:tag_detail", kwargs={"slug": Tag.objects.get(name=label).slug}))
    assert not path.isascii()
    raw = path.encode().decode("iso-8859-1")
    first = wsgi.get(raw)
    assert first.status == 200 and "Labelled" in first.text
    answer = wsgi.get(raw)
    assert answer.is_hit
    assert answer.body == first.body


def test_a_tracking_link_gets_the_page_stored_under_its_plain_address(wsgi, post):
    wsgi.get("/")
    tracked = "/?utm_source=newsletter&utm_medium=email&fbclid=IwAR0x"
    answer = wsgi.get(tracked)
    assert answer.is_hit
    assert answer.body == wsgi.fresh(tracked).body


@pytest.mark.parametrize(
    "query",
    ["?foo=1", "?comments=abc", "?comments=1&comments=2", "?page=1", "?q=walking", "?p=5151"],
)
def test_a_query_the_page_does_not_read_is_answered_but_never_stored(wsgi, post, query):
    """Each junk address would otherwise be rendered and kept three times for a day."""
    path = post.get_absolute_url() if "comments" in query else "/"
    stored_before = len(pages.page_cache()._cache)
    first = wsgi.get(path + query)
    assert first.status == 200
    assert first.body == wsgi.fresh(path + query).body
    assert not wsgi.get(path + query).is_hit
    assert len(pages.page_cache()._cache) == stored_before


def test_a_query_a_page_reads_is_stored_under_its_own_key(wsgi, post):
    top = CommentFactory(post=post)
    path = f"{post.get_absolute_url()}?comments={top.pk}"
    assert wsgi.get(path).status == 200
    answer = wsgi.get(path)
    assert answer.is_hit
    assert answer.body == wsgi.fresh(path).body
    assert not wsgi.get(post.get_absolute_url()).is_hit  # The plain page is its own entry.


def test_pages_asked_with_a_query_are_stored_up_to_a_number_between_two_changes(
    wsgi, post, settings, on_commit
):
    """Any number of well-formed cursors or comment ids exists: made-up ones cannot fill it."""
    settings.QUIRE_PAGE_CACHE_QUERY_PAGES = 2
    paths = [f"{post.get_absolute_url()}?comments={n}" for n in (1, 2, 3)]
    for path in paths:
        assert wsgi.get(path).status == 200
    assert [wsgi.get(path).is_hit for path in paths] == [True, True, False]
    assert wsgi.get(paths[2]).body == wsgi.fresh(paths[2]).body
    assert wsgi.get("/").status == 200 and wsgi.get("/").is_hit  # Plain pages have no limit.

    with on_commit():
        post.title = "A change: a new generation, a new count"
        post.save()
    wsgi.get(paths[2])
    assert wsgi.get(paths[2]).is_hit


@pytest.mark.parametrize("host", ["TESTSERVER", "testserver.", "testserver:10001"])
def test_odd_spellings_of_the_host_are_served_but_never_stored(wsgi, post, settings, host):
    """Django accepts any case, a trailing dot and any port: were each stored under a key of
    its own, anyone could fill the cache (and Redis, which holds the rate limits) by varying
    the Host header."""
    path = post.get_absolute_url()
    for _ in range(2):
        odd = wsgi.get(path, HTTP_HOST=host)
        assert odd.status == 200 and not odd.is_hit
    wsgi.get(path)
    assert wsgi.get(path).is_hit  # The usual spelling is stored as ever.
