"""The home page: the newest posts under their dates, and the pages of older ones."""

import datetime as dt
import re

import pytest
import time_machine
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from blog.models import Post
from tests.pages import NEWER_LINK, OLDER_LINK, titles_by_page, walk_pages

from .conftest import OCT_23, date_header

pytestmark = pytest.mark.django_db


def test_empty_blog_says_so(client):
    response = client.get("/")
    assertContains(response, "Nothing has been published here yet.")
    assertNotContains(response, 'class="date-header"')


def test_home_groups_posts_under_long_date_headers(client, post_factory):
    post_factory(title="Morning", published_at=OCT_23)
    post_factory(title="Dawn", published_at=OCT_23 - dt.timedelta(hours=2))
    post_factory(title="Yesterday", published_at=OCT_23 - dt.timedelta(days=1))

    response = client.get("/")

    content = response.content.decode()
    assertContains(response, date_header(OCT_23), count=1, html=True)
    assertContains(response, date_header(OCT_23 - dt.timedelta(days=1)), count=1, html=True)
    assertContains(response, "Wednesday, October 23, 2024", count=1)
    assert content.index("Wednesday") < content.index("Morning") < content.index("Dawn")
    assert content.index("Dawn") < content.index("Tuesday") < content.index("Yesterday")


def test_date_headers_follow_the_site_time_zone(client, post_factory, settings):
    settings.TIME_ZONE = "America/New_York"
    # Both are on Wednesday 23 October in New York, though the first is Thursday in UTC.
    post_factory(title="Late", published_at=dt.datetime(2024, 10, 24, 3, 30, tzinfo=dt.UTC))
    post_factory(title="Early", published_at=dt.datetime(2024, 10, 23, 14, 0, tzinfo=dt.UTC))

    response = client.get("/")

    assertContains(response, date_header(OCT_23), count=1, html=True)
    assertNotContains(response, "Thursday")


def test_home_shows_title_excerpt_read_more_labels_and_comment_count(client, post_factory):
    post = post_factory(
        title="Café society",
        excerpt="A short *teaser*.",
        body="The whole story.",
        tags=["Café", "日本語"],
        comment_count=5,
    )

    response = client.get("/")

    url = post.get_absolute_url()
    assertContains(response, f'<a href="{url}">Café society</a>', html=True)
    assertContains(response, '<div class="post-excerpt"><p>A short teaser.</p></div>', html=True)
    assertNotContains(response, "The whole story.")
    assertContains(response, f'href="{url}">Read more')
    assertContains(response, 'href="/tag/caf%C3%A9/" rel="tag">Café</a>')
    assertContains(response, 'rel="tag">日本語</a>')
    assertContains(response, f'<a href="{url}#comments">5 comments</a>', html=True)


@pytest.mark.parametrize(
    ("count", "line"), [(0, "No comments"), (1, "1 comment"), (2, "2 comments"), (5, "5 comments")]
)
def test_comment_count_line(client, post_factory, count, line):
    post = post_factory(comment_count=count)
    assertContains(client.get("/"), f'#comments">{line}</a>')
    assertContains(client.get(post.get_absolute_url()), f">{line}:</h2>")


def test_home_has_site_title_description_and_feed_links(client):
    response = client.get("/")
    assertContains(response, "<title>Quire</title>", html=True)
    assertContains(response, '<link rel="canonical" href="http://testserver/">', html=True)
    assertContains(response, '<meta property="og:title" content="Quire">', html=True)
    assertContains(
        response,
        '<link rel="alternate" type="application/atom+xml" title="Quire (Atom)" href="/feed/">',
        html=True,
    )
    assertContains(
        response,
        '<link rel="alternate" type="application/rss+xml" title="Quire (RSS)" href="/feed/rss/">',
        html=True,
    )


def test_scheduled_post_appears_on_the_home_page_by_itself(client, post_factory):
    with time_machine.travel(OCT_23, tick=False):
        post_factory(title="In the morning", published_at=OCT_23 + dt.timedelta(hours=2))
        assertNotContains(client.get("/"), "In the morning")
    with time_machine.travel(OCT_23 + dt.timedelta(hours=2, seconds=1), tick=False):
        assertContains(client.get("/"), "In the morning")
    assert Post.objects.count() == 1


def test_home_paginates_with_older_and_newer_links(client, post_factory):
    for n in range(11):
        post_factory(title=f"Post {n:02d}", published_at=OCT_23 - dt.timedelta(days=n))

    first = client.get("/")
    assertContains(first, "Older posts")
    assertContains(first, 'href="?before=20241014T090000Z-', count=1)
    assertNotContains(first, "Newer posts")
    assertContains(first, "Post 09")
    assertNotContains(first, "Post 10")

    second = client.get("/" + OLDER_LINK.search(first.content.decode())[1])
    assertContains(second, "<title>Quire · older posts</title>", html=True)
    assertContains(second, "Post 10")
    assertNotContains(second, "Post 09")
    assertContains(second, "Newer posts")
    assertNotContains(second, "Older posts")


def test_walking_older_then_newer_shows_every_post_once_even_at_the_same_moment(
    client, post_factory
):
    # 25 posts, in clumps published at the very same instant, some straddling page breaks.
    titles = []
    for n in range(25):
        published_at = OCT_23 - dt.timedelta(hours=n // 4)
        titles.append(post_factory(title=f"Post {n:02d}", published_at=published_at).title)
    newest_first = [post.title for post in Post.objects.order_by("-published_at", "-pk")]

    older = walk_pages(client, "/", OLDER_LINK)
    older_pages = titles_by_page(older)
    assert [len(page) for page in older_pages] == [10, 10, 5]
    assert sum(older_pages, []) == newest_first
    assert sorted(newest_first) == sorted(titles)

    newer_pages = titles_by_page(walk_pages(client, older[-1].url, NEWER_LINK))
    assert newer_pages == older_pages[::-1]


def test_pages_break_at_the_same_posts_in_any_time_zone(client, post_factory, settings):
    settings.TIME_ZONE = "Pacific/Kiritimati"  # UTC+14: local dates differ from UTC ones.
    for n in range(12):
        post_factory(title=f"Post {n:02d}", published_at=OCT_23 + dt.timedelta(hours=3 * n))

    pages = titles_by_page(walk_pages(client, "/", OLDER_LINK))

    assert sum(pages, []) == [f"Post {n:02d}" for n in reversed(range(12))]
    assertContains(client.get("/"), date_header(dt.date(2024, 10, 25)), count=1, html=True)


def test_a_scheduled_post_is_on_no_page(client, post_factory):
    for n in range(11):
        post_factory(title=f"Post {n:02d}", published_at=OCT_23 - dt.timedelta(days=n))
    post_factory(title="Tomorrow", scheduled=True)
    post_factory(title="Unwritten", draft=True, published_at=OCT_23 - dt.timedelta(days=3))

    older = walk_pages(client, "/", OLDER_LINK)
    older_pages = titles_by_page(older)
    newer_pages = titles_by_page(walk_pages(client, older[-1].url, NEWER_LINK))

    for page in older_pages + newer_pages:
        assert "Tomorrow" not in page
        assert "Unwritten" not in page
    assert len(sum(older_pages, [])) == 11


@pytest.mark.parametrize(
    "query",
    [
        "before=",
        "before=yesterday",
        "before=20241023T090000Z",
        "before=20241023T090000Z-0",
        "before=20241023T090000Z-x1",
        "before=20241332T090000Z-1",
        "before=20241023T250000Z-1",
        "before=00001023T090000Z-1",
        "before=20241023T090000.12Z-1",
        "before=20241023T090000Z-99999999999999999999",
        "before=20241023T090000Z-1&after=20241023T090000Z-1",
        "after=%F0%9F%99%82",
    ],
)
def test_malformed_cursors_are_404(client, post_factory, query):
    post_factory(published_at=OCT_23)
    assert client.get(f"/?{query}").status_code == 404
    assert client.get(f"/tag/sea/?{query}").status_code == 404


def test_a_cursor_with_a_nul_is_a_bad_request(client, post_factory):
    post_factory(published_at=OCT_23)
    assert client.get("/?after=20241023T090000Z-1%00").status_code == 400
    assert client.get("/tag/sea/?after=20241023T090000Z-1%00").status_code == 400


def test_a_cursor_past_the_last_post_is_404(client, post_factory):
    post_factory(published_at=OCT_23)
    assert client.get("/?before=20000101T000000Z-1").status_code == 404
    # Past the newest post is the newest page, and its Newer link leads there, never to a 404.
    assertRedirects(client.get("/?after=20991231T000000Z-1"), "/")
    newest = client.get("/?before=20991231T000000.000001Z-9223372036854775807")
    assert newest.status_code == 200
    newer_link = re.search(r'href="(\?after=[^"]+)"', newest.content.decode())[1]
    assertRedirects(client.get("/" + newer_link), "/")


def test_old_page_numbers_show_the_newest_posts(client, post_factory):
    for n in range(11):
        post_factory(title=f"Post {n:02d}", published_at=OCT_23 - dt.timedelta(days=n))
    for page in ("2", "99", "x"):
        response = client.get("/", {"page": page})
        assertContains(response, "Post 00")
        assertNotContains(response, "Post 10")


def test_one_post_has_no_pagination(client, post_factory):
    post_factory(title="Only one")
    response = client.get("/")
    assertContains(response, "Only one")
    assertNotContains(response, "Older posts")


def test_canonical_url_drops_tracking_parameters_but_keeps_the_page_cursor(client, post_factory):
    for n in range(12):
        post_factory(published_at=OCT_23 - dt.timedelta(days=n))
    home = client.get("/?utm_source=newsletter&fbclid=x").content.decode()
    assert '<link rel="canonical" href="http://testserver/">' in home
    assert '<meta property="og:url" content="http://testserver/">' in home

    older = re.search(r'href="\?before=([^"]+)"', home).group(1)
    page_two = client.get(f"/?before={older}&utm_medium=email").content.decode()
    assert f'<link rel="canonical" href="http://testserver/?before={older}">' in page_two
