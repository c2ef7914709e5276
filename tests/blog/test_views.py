import datetime as dt
import json
import re

import pytest
import time_machine
from django.http import HttpResponse
from django.urls import path
from pytest_django.asserts import (
    assertContains,
    assertNotContains,
    assertRedirects,
    assertTemplateUsed,
)

from blog.models import Post

from .conftest import image_upload

pytestmark = pytest.mark.django_db

OCT_23 = dt.datetime(2024, 10, 23, 9, 0, tzinfo=dt.UTC)


def date_header(day, tag="h2"):
    return (
        f'<{tag} class="date-header"><time datetime="{day:%Y-%m-%d}">'
        f"{day:%A, %B} {day.day}, {day.year}</time></{tag}>"
    )


# --- Home ------------------------------------------------------------------


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


OLDER_LINK = re.compile(r'<a class="older" rel="next" href="(\?before=[^"]+)">Older posts →</a>')
NEWER_LINK = re.compile(r'<a class="newer" rel="prev" href="(\?after=[^"]+)">← Newer posts</a>')
POST_TITLE = re.compile(r'<h3 class="post-title"><a href="[^"]+">([^<]+)</a></h3>')


def walk(client, url, link):
    """Follow one kind of pagination link from `url` to its end: the titles on each page."""
    pages = []
    while url:
        # A Newer link that reaches the newest posts lands on the stream's own address.
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        content = response.content.decode()
        pages.append(POST_TITLE.findall(content))
        found = link.search(content)
        url = found and url.split("?")[0] + found[1].replace("&amp;", "&")
        assert len(pages) < 50, "pagination loops"
    return pages, url_of_last_page(response)


def url_of_last_page(response):
    query = response.wsgi_request.GET.urlencode()
    return response.wsgi_request.path + (f"?{query}" if query else "")


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

    older_pages, oldest_url = walk(client, "/", OLDER_LINK)
    assert [len(page) for page in older_pages] == [10, 10, 5]
    assert sum(older_pages, []) == newest_first
    assert sorted(newest_first) == sorted(titles)

    newer_pages, _ = walk(client, oldest_url, NEWER_LINK)
    assert newer_pages == older_pages[::-1]


def test_pages_break_at_the_same_posts_in_any_time_zone(client, post_factory, settings):
    settings.TIME_ZONE = "Pacific/Kiritimati"  # UTC+14: local dates differ from UTC ones.
    for n in range(12):
        post_factory(title=f"Post {n:02d}", published_at=OCT_23 + dt.timedelta(hours=3 * n))

    pages, _ = walk(client, "/", OLDER_LINK)

    assert sum(pages, []) == [f"Post {n:02d}" for n in reversed(range(12))]
    assertContains(client.get("/"), date_header(dt.date(2024, 10, 25)), count=1, html=True)


def test_a_scheduled_post_is_on_no_page(client, post_factory):
    for n in range(11):
        post_factory(title=f"Post {n:02d}", published_at=OCT_23 - dt.timedelta(days=n))
    post_factory(title="Tomorrow", scheduled=True)
    post_factory(title="Unwritten", draft=True, published_at=OCT_23 - dt.timedelta(days=3))

    older_pages, oldest_url = walk(client, "/", OLDER_LINK)
    newer_pages, _ = walk(client, oldest_url, NEWER_LINK)

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
        "after=20241023T090000Z-1%00",
        "after=%F0%9F%99%82",
    ],
)
def test_malformed_cursors_are_404(client, post_factory, query):
    post_factory(published_at=OCT_23)
    assert client.get(f"/?{query}").status_code == 404
    assert client.get(f"/tag/sea/?{query}").status_code == 404


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


# --- Post page -------------------------------------------------------------


def test_post_page_shows_everything_a_reader_needs(client, post_factory):
    post = post_factory(
        title="The harbour",
        published_at=OCT_23,
        body="First paragraph.\n\n" + "word " * 500,
        tags=["Sea"],
        cover=image_upload("harbour.png", 1000, 500),
        cover_alt="Boats at dusk",
        comment_count=1,
    )

    response = client.get(post.get_absolute_url())

    assertTemplateUsed(response, "blog/post_detail.html")
    # On its own page the date is not a heading: the title is the page's first heading.
    assertContains(response, date_header(OCT_23, tag="p"), html=True)
    assertContains(response, '<h1 class="post-title p-name">The harbour</h1>', html=True)
    assertContains(response, "By Ada Winter")
    assertContains(response, "3 min read")
    assertContains(response, "<p>First paragraph.</p>", html=True)
    assertContains(response, 'href="/tag/sea/" rel="tag">Sea</a>')
    assertContains(response, 'id="comments"')
    assertContains(response, "1 comment:")
    assertContains(
        response,
        f'<img src="{post.cover_960.url}" srcset="{post.rendition_srcset()}" '
        'sizes="(max-width: 44rem) 100vw, 44rem" alt="Boats at dusk">',
        html=True,
    )


def test_post_page_links_its_newer_and_older_neighbours(client, post_factory):
    older = post_factory(title="Older one", excerpt="Before.", published_at=OCT_23)
    post = post_factory(title="Middle", published_at=OCT_23 + dt.timedelta(days=1))
    newer = post_factory(title="Newer one", excerpt="After.", published_at=OCT_23 + dt.timedelta(2))

    response = client.get(post.get_absolute_url())

    assertContains(response, f'<a href="{newer.get_absolute_url()}" rel="prev">Newer one</a>')
    assertContains(response, "<p>After.</p>", html=True)
    assertContains(response, f'<a href="{older.get_absolute_url()}" rel="next">Older one</a>')
    assertContains(response, "<p>Before.</p>", html=True)


def test_neighbours_published_at_the_same_moment_are_both_reachable(client, post_factory):
    first = post_factory(title="First twin", published_at=OCT_23)
    second = post_factory(title="Second twin", published_at=OCT_23)

    assertContains(client.get(first.get_absolute_url()), "Second twin")
    assertContains(client.get(second.get_absolute_url()), "First twin")


def test_first_and_last_posts_have_one_neighbour(client, post_factory):
    only = post_factory(title="Alone")
    response = client.get(only.get_absolute_url())
    assertNotContains(response, "Newer post")
    assertNotContains(response, "Older post")


def test_closed_comments_are_announced(client, post_factory):
    post = post_factory(allow_comments=False)
    assertContains(client.get(post.get_absolute_url()), "Comments are closed for this post.")


@pytest.mark.parametrize(
    "url",
    [
        "/2024/11/the-post/",  # wrong month
        "/2023/10/the-post/",  # wrong year
        "/2024/10/no-such-post/",
        "/2024/13/the-post/",
        "/2024/00/the-post/",
        "/9999/12/the-post/",
        "/0/10/the-post/",
    ],
)
def test_post_at_the_wrong_address_is_404(client, post_factory, url):
    post_factory(slug="the-post", published_at=OCT_23)
    assert client.get(url).status_code == 404


def test_unicode_title_and_slug(client, post_factory):
    post = post_factory(title="日本語のタイトル", slug="日本語", tags=["日本語"])
    response = client.get(post.get_absolute_url())
    assertContains(response, "<title>日本語のタイトル · Quire</title>", html=True)


def test_very_long_title_is_shown_whole(client, post_factory):
    title = "Long " * 39 + "end."
    post = post_factory(title=title)
    assertContains(client.get(post.get_absolute_url()), title)
    assertContains(client.get("/"), title)


# --- Head: title, description, canonical, social cards, JSON-LD -------------


def test_post_head_has_title_description_canonical_and_social_tags(client, post_factory):
    post = post_factory(title="Tides", excerpt="On the moon and the sea.", tags=["Sea"])
    response = client.get(post.get_absolute_url())
    url = f"http://testserver{post.get_absolute_url()}"

    assertContains(response, "<title>Tides · Quire</title>", html=True)
    assertContains(response, '<meta name="description" content="On the moon and the sea.">')
    assertContains(response, f'<link rel="canonical" href="{url}">', html=True)
    assertContains(response, '<meta property="og:type" content="article">', html=True)
    assertContains(response, '<meta property="og:title" content="Tides">', html=True)
    assertContains(response, f'<meta property="og:url" content="{url}">', html=True)
    assertContains(response, '<meta property="article:tag" content="Sea">', html=True)
    assertContains(response, '<meta name="twitter:card" content="summary">', html=True)
    assertContains(response, '<meta name="twitter:title" content="Tides">', html=True)


def test_cover_makes_a_large_social_card(client, post_factory):
    post = post_factory(cover=image_upload(), cover_alt="Red")
    response = client.get(post.get_absolute_url())
    assertContains(response, '<meta name="twitter:card" content="summary_large_image">', html=True)
    assertContains(
        response, f'<meta property="og:image" content="http://testserver{post.cover_960.url}">'
    )


def json_ld(response):
    found = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    assert len(found) == 1
    return json.loads(found[0])


def test_post_has_blogposting_json_ld(client, post_factory):
    post = post_factory(title="Tides", published_at=OCT_23, tags=["Sea", "Moon"])
    data = json_ld(client.get(post.get_absolute_url()))
    assert data["@type"] == "BlogPosting"
    assert data["headline"] == "Tides"
    assert data["datePublished"] == "2024-10-23T09:00:00+00:00"
    assert data["author"] == {"@type": "Person", "name": "Ada Winter"}
    assert data["mainEntityOfPage"] == f"http://testserver{post.get_absolute_url()}"
    assert sorted(data["keywords"]) == ["Moon", "Sea"]


def test_a_title_cannot_break_out_of_the_json_ld_script(client, post_factory):
    title = '</script><script>alert("x")</script> & <!--'
    post = post_factory(title=title, excerpt="</SCRIPT>")
    response = client.get(post.get_absolute_url())

    content = response.content.decode()
    assert "<script>alert" not in content
    assert content.lower().count("</script>") == 1
    assert json_ld(response)["headline"] == title


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


# --- Tags ------------------------------------------------------------------


def test_tag_page_lists_only_posts_with_that_label(client, post_factory):
    post_factory(title="Espresso", tags=["Café"])
    post_factory(title="Green tea", tags=["Tea"])

    response = client.get("/tag/café/")

    assertContains(response, "<title>Posts labelled “Café” · Quire</title>", html=True)
    assertContains(response, "Espresso")
    assertNotContains(response, "Green tea")
    assertContains(
        response,
        '<link rel="alternate" type="application/atom+xml" title="Café (Atom)" '
        'href="/tag/caf%C3%A9/feed/">',
        html=True,
    )


def test_unicode_tag_page(client, post_factory):
    post_factory(title="Kanji", tags=["日本語"])
    assertContains(client.get("/tag/日本語/"), "Kanji")


def test_unknown_tag_is_404(client):
    assert client.get("/tag/nothing/").status_code == 404


def test_tag_pages_walk_every_labelled_post_once(client, post_factory):
    labelled = []
    for n in range(23):
        published_at = OCT_23 - dt.timedelta(hours=n // 3)
        post = post_factory(title=f"Post {n:02d}", published_at=published_at, tags=["Sea"])
        labelled.append(post)
        post_factory(title=f"Other {n:02d}", published_at=published_at, tags=["Land"])
    post_factory(title="Tomorrow", scheduled=True, tags=["Sea"])
    newest_first = [
        post.title for post in sorted(labelled, key=lambda p: (p.published_at, p.pk), reverse=True)
    ]

    older_pages, oldest_url = walk(client, "/tag/sea/", OLDER_LINK)
    assert oldest_url.startswith("/tag/sea/?before=")
    assert [len(page) for page in older_pages] == [10, 10, 3]
    assert sum(older_pages, []) == newest_first

    newer_pages, _ = walk(client, oldest_url, NEWER_LINK)
    assert newer_pages == older_pages[::-1]


# --- Archive ---------------------------------------------------------------


@pytest.fixture
def archive_posts(post_factory):
    return [
        post_factory(title="October A", published_at=dt.datetime(2024, 10, 2, tzinfo=dt.UTC)),
        post_factory(title="October B", published_at=dt.datetime(2024, 10, 20, tzinfo=dt.UTC)),
        post_factory(title="September", published_at=dt.datetime(2024, 9, 9, tzinfo=dt.UTC)),
        post_factory(title="Last year", published_at=dt.datetime(2023, 5, 1, tzinfo=dt.UTC)),
    ]


def test_archive_lists_months_with_counts(client, archive_posts):
    response = client.get("/archive/")
    assertContains(response, '<a href="/2024/">2024</a>', html=True)
    assertContains(response, '<a href="/2024/10/">October</a> <span class="count">(2)</span>')
    assertContains(response, '<a href="/2024/09/">September</a> <span class="count">(1)</span>')
    assertContains(response, '<a href="/2023/05/">May</a> <span class="count">(1)</span>')


def test_empty_archive(client):
    assertContains(client.get("/archive/"), "Nothing has been published here yet.")


def test_year_archive(client, archive_posts):
    response = client.get("/2024/")
    assertContains(response, "Posts from 2024")
    for title in ("October A", "October B", "September"):
        assertContains(response, title)
    assertNotContains(response, "Last year")
    assertContains(response, '<a rel="prev" href="/2023/">2023 →</a>', html=True)


def test_month_archive(client, archive_posts):
    response = client.get("/2024/10/")
    assertContains(response, "Posts from October 2024")
    assertContains(response, "October A")
    assertContains(response, "October B")
    assertNotContains(response, "September</a>")
    assertContains(response, '<a rel="prev" href="/2024/09/">September 2024 →</a>', html=True)


@pytest.mark.parametrize("url", ["/2022/", "/2024/08/", "/2024/13/"])
def test_empty_archive_periods_are_404(client, archive_posts, url):
    assert client.get(url).status_code == 404


# --- Search ----------------------------------------------------------------


@pytest.fixture
def searchable(post_factory):
    post_factory(title="On lighthouses", body="Keepers and lamps.")
    post_factory(title="Bread", body="Flour, water and a lighthouse-shaped loaf.")
    post_factory(title="Tea", body="Steeping.", tags=["Kyoto"])
    post_factory(title="日本語の本", body="読書")


def test_search_finds_titles_and_bodies(client, searchable):
    response = client.get("/search/", {"q": "lighthouse"})
    assertContains(response, "2 results for “lighthouse”")
    assertContains(response, "On lighthouses")
    assertContains(response, "Bread")
    assertNotContains(response, "Steeping")
    assertContains(response, '<meta name="robots" content="noindex">', html=True)


def test_search_finds_labels(client, searchable):
    response = client.get("/search/", {"q": "kyoto"})
    assertContains(response, "1 result for “kyoto”")
    assertContains(response, "Tea")


def test_search_unicode(client, searchable):
    assertContains(client.get("/search/", {"q": "日本語"}), "日本語の本")


def test_search_without_results_says_so(client, searchable):
    response = client.get("/search/", {"q": "zeppelin"})
    assertContains(response, "0 results for “zeppelin”")
    assertContains(response, "No posts match your search.")


def test_empty_search_shows_only_the_form(client, searchable):
    response = client.get("/search/", {"q": "   "})
    assertContains(response, '<label for="search-q">')
    assertNotContains(response, "results for")


def test_search_escapes_the_query(client, searchable):
    response = client.get("/search/", {"q": "<b>bold</b>"})
    assertContains(response, "for “&lt;b&gt;bold&lt;/b&gt;”")
    assertNotContains(response, "<b>bold</b>")


def test_very_long_search_is_cut_to_200_characters(client, searchable):
    response = client.get("/search/", {"q": "lighthouse" + "x" * 5000})
    assert response.status_code == 200
    assert response.context["query"] == "lighthouse" + "x" * 190


def test_search_pagination_keeps_the_query(client, post_factory):
    for n in range(12):
        post_factory(title=f"Kite {n}")
    response = client.get("/search/", {"q": "kite"})
    assertContains(response, 'href="?q=kite&amp;page=2"')  # Search keeps its count and pages.
    assertContains(client.get("/search/", {"q": "kite", "page": 2}), "12 results")


# --- Static pages, 404, 500 -------------------------------------------------


def test_static_page_and_navigation(client, page_factory):
    page_factory(title="About", slug="about", body="I write *slowly*.")
    response = client.get("/p/about/")
    assertContains(response, "<title>About · Quire</title>", html=True)
    assertContains(response, "<p>I write <em>slowly</em>.</p>", html=True)
    assertContains(client.get("/"), '<li><a href="/p/about/">About</a></li>', html=True)


def test_unpublished_page_is_404_and_not_in_navigation(client, page_factory):
    page_factory(title="Secret", slug="secret", is_published=False)
    assert client.get("/p/secret/").status_code == 404
    assertNotContains(client.get("/"), "Secret")


def test_404_page_is_designed(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assertTemplateUsed(response, "404.html")
    assertContains(response, "This page is not here", status_code=404)
    assertContains(response, '<a href="/archive/">archive</a>', status_code=404, html=True)
    assertContains(response, 'action="/search/"', status_code=404)


def broken_view(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", broken_view), path("ok/", lambda r: HttpResponse("ok"))]


@pytest.mark.urls(__name__)
def test_500_page(client):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    assertContains(response, "Something went wrong on our side", status_code=500)


def test_scheduled_post_appears_on_the_home_page_by_itself(client, post_factory):
    with time_machine.travel(OCT_23, tick=False):
        post_factory(title="In the morning", published_at=OCT_23 + dt.timedelta(hours=2))
        assertNotContains(client.get("/"), "In the morning")
    with time_machine.travel(OCT_23 + dt.timedelta(hours=2, seconds=1), tick=False):
        assertContains(client.get("/"), "In the morning")
    assert Post.objects.count() == 1


HTML_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2})?$")


def test_time_elements_carry_datetimes_that_html_accepts(client, post_factory):
    # HTML allows at most milliseconds; Django's "c" format would print microseconds.
    post = post_factory(published_at=dt.datetime(2024, 10, 23, 9, 30, 15, 123456, tzinfo=dt.UTC))
    for url in ("/", post.get_absolute_url()):
        values = re.findall(r'<time datetime="([^"]+)"', client.get(url).content.decode())
        assert values
        assert all(HTML_DATETIME.match(value) for value in values), values


def test_a_label_without_letters_from_outside_the_admin_is_shown_unlinked(client, post_factory):
    post = post_factory(tags=["🙂", "Café"])

    for url in ("/", post.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200
        assertContains(response, "🙂")
        assertContains(response, 'href="/tag/caf%C3%A9/"')


def test_canonical_url_drops_tracking_parameters_but_keeps_the_page_cursor(client, post_factory):
    for n in range(12):
        post_factory(published_at=OCT_23 - dt.timedelta(days=n))
    home = client.get("/?utm_source=newsletter&fbclid=x").content.decode()
    assert '<link rel="canonical" href="http://testserver/">' in home
    assert '<meta property="og:url" content="http://testserver/">' in home

    older = re.search(r'href="\?before=([^"]+)"', home).group(1)
    page_two = client.get(f"/?before={older}&utm_medium=email").content.decode()
    assert f'<link rel="canonical" href="http://testserver/?before={older}">' in page_two
