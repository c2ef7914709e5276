"""Secret preview links: signed, revocable, expiring, never indexed, never cached publicly."""

import datetime as dt
import uuid

import pytest
import time_machine
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains

from blog.models import Post
from caching import pages
from caching.wsgi import PageCacheApplication
from desk.previews import (
    link_for_token,
    preview_link_create,
    preview_link_path,
    preview_link_revoke,
    preview_link_token,
)
from tests.caching.conftest import WSGIClient
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2024, 10, 23, 10, 0, tzinfo=dt.UTC)
GONE = "This preview link has expired or been withdrawn"


@pytest.fixture
def link(draft, author):
    return preview_link_create(post=draft, user=author)


def test_a_token_names_its_link_and_is_the_same_each_time_it_is_shown(link):
    assert preview_link_token(link) == preview_link_token(link)
    assert link_for_token(preview_link_token(link)) == link


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # the signature
        lambda token: "Wzk5LDg2NDAwXQ" + token[token.index(":") :],  # another id, same signature
        lambda token: "",
        lambda token: "not-a-token",
        lambda token: token + ":extra",
        lambda token: "é" * 300,
    ],
)
def test_a_tampered_token_opens_nothing(link, tamper):
    assert link_for_token(tamper(preview_link_token(link))) is None


def test_a_token_signed_with_another_salt_opens_nothing(link):
    from django.core import signing

    assert link_for_token(signing.dumps(link.pk)) is None


def test_the_signature_expires_with_the_link_even_if_the_row_is_extended(author, draft):
    with time_machine.travel(NOW, tick=False):
        link = preview_link_create(post=draft, user=author, days=1)
        token = preview_link_token(link)
    with time_machine.travel(NOW + dt.timedelta(hours=23), tick=False):
        assert link_for_token(token) == link
    # Someone moves the row's expiry on: the token's own age still ends it.
    type(link).objects.filter(pk=link.pk).update(expires_at=NOW + dt.timedelta(days=30))
    with time_machine.travel(NOW + dt.timedelta(days=1, seconds=1), tick=False):
        assert link_for_token(token) is None


def test_lifetimes_are_the_offered_ones(author, draft):
    with pytest.raises(ValueError):
        preview_link_create(post=draft, user=author, days=365)
    assert preview_link_create(post=draft, user=author).lifetime == dt.timedelta(days=7)


def test_a_logged_out_reader_reads_the_draft_with_private_headers(client, link, draft):
    response = client.get(preview_link_path(link))
    assert response.status_code == 200
    assertContains(response, "Harbour notes")
    assertContains(response, "<p>First light.</p>", html=True)
    assertContains(response, "A preview shared by the author")
    assertContains(response, '<meta name="robots" content="noindex, nofollow">', html=True)
    assertNotContains(response, "Post a Comment")
    assertNotContains(response, "/admin/")  # No edit link for a reader.
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"


def test_a_scheduled_post_is_previewed_with_its_date(client, author):
    scheduled = PostFactory(title="Tomorrow's post", scheduled=True)
    response = client.get(preview_link_path(preview_link_create(post=scheduled, user=author)))
    assertContains(response, "this post is scheduled for")


def test_a_revoked_link_stops_working(client, link):
    path = preview_link_path(link)
    preview_link_revoke(link=link)
    response = client.get(path)
    assert response.status_code == 404
    assertContains(response, GONE, status_code=404)
    assertNotContains(response, "Harbour notes", status_code=404)
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_an_expired_link_is_the_not_found_page(client, author, draft):
    with time_machine.travel(NOW, tick=False):
        path = preview_link_path(preview_link_create(post=draft, user=author, days=3))
    with time_machine.travel(NOW + dt.timedelta(days=3, seconds=1), tick=False):
        response = client.get(path)
    assertContains(response, GONE, status_code=404)


def test_a_tampered_token_is_the_not_found_page(client, link):
    response = client.get(preview_link_path(link)[:-2] + "x/")
    assertContains(response, GONE, status_code=404)


def test_a_deleted_post_takes_its_links_with_it(client, link, draft):
    path = preview_link_path(link)
    draft.delete()
    assertContains(client.get(path), GONE, status_code=404)


def test_once_published_the_link_leads_to_the_post(client, link, draft):
    path = preview_link_path(link)
    draft.status = Post.Status.PUBLISHED
    draft.save()
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == draft.get_absolute_url()


def test_the_preview_page_takes_a_bounded_number_of_queries(client, author):
    post = PostFactory(draft=True, tags=["Sea", "Rain", "Hills"])
    path = preview_link_path(preview_link_create(post=post, user=author))
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    assert len(captured) <= 3


def test_robots_txt_keeps_crawlers_away_from_preview_links(client, link):
    assert preview_link_path(link).startswith("/preview/")
    assertContains(client.get("/robots.txt"), "Disallow: /preview/")


@pytest.fixture
def wsgi(settings, db):
    """The site behind the page cache's fast path, the cache switched on and empty."""
    settings.QUIRE_PAGE_CACHE = True
    settings.CACHES = {
        name: {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"{name}-{uuid.uuid4().hex}",
        }
        for name in ("default", "pages")
    }
    settings.CACHES["schedule"] = settings.CACHES["default"]
    pages._FINGERPRINT = None
    yield WSGIClient(PageCacheApplication(WSGIHandler()))
    pages._FINGERPRINT = None


def test_the_page_cache_never_stores_nor_serves_a_preview_link(wsgi, link, draft):
    path = preview_link_path(link)
    first = wsgi.get(path)
    second = wsgi.get(path)
    assert first.status == second.status == 200
    assert "X-Cache" not in first.headers and "X-Cache" not in second.headers
    assert pages.lookup(wsgi_environ(path)) is None
    preview_link_revoke(link=link)
    assert GONE in wsgi.get(path).text  # No stored copy outlives the withdrawal.
    assert wsgi.get("/").headers.get("X-Cache") == "miss"  # The cache itself works.


def wsgi_environ(path):
    from django.test import RequestFactory

    return RequestFactory()._base_environ(PATH_INFO=path, REQUEST_METHOD="GET")
