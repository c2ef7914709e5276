"""The published / draft / scheduled matrix: only published posts whose time has come are public."""

import datetime as dt

import pytest
import time_machine
from pytest_django.asserts import assertContains, assertNotContains

from blog.models import Post
from blog.pagination import encode_cursor
from tests.pages import titles_by_page, walk_pages

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2024, 10, 23, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def visible(post_factory):
    return post_factory(
        title="Visible post",
        body="Ordinary words.",
        slug="visible",
        published_at=NOW - dt.timedelta(hours=1),
        tags=["shared"],
    )


HIDDEN = {
    # A draft dated in a month of its own, so its archive month must not appear.
    "draft": dict(status=Post.Status.DRAFT, published_at=dt.datetime(2023, 1, 5, tzinfo=dt.UTC)),
    "draft dated now": dict(status=Post.Status.DRAFT, published_at=NOW - dt.timedelta(hours=2)),
    "scheduled": dict(published_at=NOW + dt.timedelta(days=2)),
    "scheduled next year": dict(published_at=dt.datetime(2025, 2, 1, tzinfo=dt.UTC)),
}


@pytest.fixture(params=list(HIDDEN))
def hidden(request, post_factory, visible):
    return post_factory(
        title="Zeppelin secret",
        body="Unpublished zeppelin words.",
        slug="zeppelin",
        tags=["shared", "secret-label"],
        **HIDDEN[request.param],
    )


def test_hidden_post_page_is_404(client, hidden):
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_hidden_post_page_is_404_even_for_the_author(client, hidden, author):
    client.force_login(author)
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_hidden_post_is_not_on_the_home_page(client, hidden):
    response = client.get("/")
    assertContains(response, "Visible post")
    assertNotContains(response, "Zeppelin")
    assertNotContains(response, "secret-label")


def test_hidden_post_is_not_on_a_shared_tag_page(client, hidden):
    response = client.get("/tag/shared/")
    assertContains(response, "Visible post")
    assertNotContains(response, "Zeppelin")


@pytest.mark.parametrize(
    "url",
    ["/tag/secret-label/", "/tag/secret-label/feed/", "/tag/secret-label/feed/rss/"],
)
def test_label_carried_only_by_hidden_posts_does_not_exist(client, hidden, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "url", ["/feed/", "/feed/rss/", "/tag/shared/feed/", "/tag/shared/feed/rss/"]
)
def test_hidden_post_is_not_in_feeds(client, hidden, url):
    response = client.get(url)
    assertContains(response, "Visible post")
    assertNotContains(response, "Zeppelin")
    assertNotContains(response, "zeppelin")


def test_hidden_post_is_not_in_the_sitemap(client, hidden):
    response = client.get("/sitemap.xml")
    assertContains(response, "/2024/10/visible/")
    assertNotContains(response, "zeppelin")


def test_hidden_post_is_not_counted_in_the_archive(client, hidden):
    response = client.get("/archive/")
    assertContains(response, '<a href="/2024/10/">October</a> <span class="count">(1)</span>')
    assertNotContains(response, "/2023/")
    assertNotContains(response, "/2025/")
    assertNotContains(response, "January")
    assertNotContains(response, "February")


def test_hidden_post_is_not_in_year_or_month_archives(client, hidden):
    assertNotContains(client.get("/2024/"), "Zeppelin")
    assertNotContains(client.get("/2024/10/"), "Zeppelin")
    for url in ("/2023/", "/2023/01/", "/2025/", "/2025/02/"):
        assert client.get(url).status_code == 404, url


def test_hidden_post_is_not_in_search(client, hidden):
    for query in ("zeppelin", "Zeppelin secret", "secret-label"):
        response = client.get("/search/", {"q": query})
        assertContains(response, f"0 results for “{query}”")


def test_hidden_post_is_not_a_neighbour(client, post_factory, hidden, visible):
    older = post_factory(
        title="Older post here", published_at=dt.datetime(2022, 1, 1, tzinfo=dt.UTC)
    )
    response = client.get(visible.get_absolute_url())
    assertNotContains(response, "Zeppelin")
    assertNotContains(response, "Newer post")
    assertContains(response, older.get_absolute_url())
    assertNotContains(client.get(older.get_absolute_url()), "Zeppelin")


def test_scheduled_post_appears_everywhere_by_itself(client, post_factory, visible):
    post = post_factory(
        title="Zeppelin dawn", slug="dawn", published_at=NOW + dt.timedelta(hours=6), tags=["air"]
    )
    surfaces = ["/", "/tag/air/", "/feed/", "/feed/rss/", "/search/?q=zeppelin", "/2024/10/"]
    assert client.get(post.get_absolute_url()).status_code == 404
    assert client.get("/tag/air/").status_code == 404

    with time_machine.travel(NOW + dt.timedelta(hours=6), tick=False):
        assert client.get(post.get_absolute_url()).status_code == 200
        for url in surfaces:
            assertContains(client.get(url), "Zeppelin dawn")
        assertContains(client.get("/sitemap.xml"), post.get_absolute_url())
        assertContains(client.get(visible.get_absolute_url()), "Zeppelin dawn")


def test_unpublished_page_is_not_in_the_sitemap(client, page_factory):
    page_factory(slug="public-page")
    page_factory(slug="private-page", is_published=False)
    response = client.get("/sitemap.xml")
    assertContains(response, "/p/public-page/")
    assertNotContains(response, "private-page")


def test_hidden_post_is_on_no_page_of_the_home_or_label_streams(client, post_factory, hidden):
    for n in range(12):
        post_factory(title=f"Public {n}", published_at=NOW - dt.timedelta(days=n), tags=["shared"])
    for stream in ("/", "/tag/shared/"):
        pages = walk_pages(client, stream)
        for page in pages:
            assert "Zeppelin" not in page.content, page.url
        seen = sum(titles_by_page(pages), [])
        assert len(seen) == 13, stream  # the twelve and "Visible post", each once
        assert len(set(seen)) == 13, stream


def test_a_cursor_naming_a_hidden_post_shows_only_public_neighbours(client, post_factory, hidden):
    post_factory(title="Long ago", published_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    cursor = encode_cursor(hidden)
    for url in (f"/?before={cursor}", f"/?after={cursor}", f"/tag/shared/?before={cursor}"):
        response = client.get(url, follow=True)
        if response.status_code == 200:
            assertNotContains(response, "Zeppelin")
        else:
            assert response.status_code == 404, url
