"""Each public page costs a fixed number of queries, however many posts the blog holds."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.models import Site
from django.core.cache import cache
from django.core.management import call_command
from taggit.models import Tag

from blog.models import Page, Post, TaggedPost
from blog.pagination import encode_cursor
from blog.services import posts_create_many
from comments.xtd import XtdComment
from tests.factories import CommentFactory
from tests.pages import walk_pages

pytestmark = pytest.mark.django_db

NEWEST = dt.datetime(2024, 12, 30, 9, 0, tzinfo=dt.UTC)
CEILING = 6
BODY = "Notes from the *field*, " * 40


def add_posts(author, start, count):
    """Bulk-made published posts, one every other day back from NEWEST (into 2023), labelled."""
    posts = posts_create_many(
        posts=[
            Post(
                title=f"Notes from the field {n}",
                slug=f"notes-{n}",
                author=author,
                body=BODY,
                status=Post.Status.PUBLISHED,
                published_at=NEWEST - dt.timedelta(days=2 * n, hours=n % 2),
                comment_count=n % 3,
            )
            for n in range(start, start + count)
        ]
    )
    tags = [Tag.objects.get_or_create(name=name, slug=name.lower())[0] for name in ("Sea", "Café")]
    TaggedPost.objects.bulk_create(
        TaggedPost(content_object=post, tag=tag) for post in posts for tag in tags
    )


def post_url(client):
    return Post.objects.published().order_by("published_at")[2].get_absolute_url()


def fifteenth_page(url):
    """The 15th page of "Older posts" from `url`, or the last if there are fewer."""
    return lambda client: walk_pages(client, url, stop_after=15)[-1].url


def cursor_page(url, param, post):
    return lambda client: f"{url}?{param}={encode_cursor(post())}"


def commented_post():
    return Post.objects.get(title="Much discussed")


def commented_post_comment():
    return XtdComment.objects.filter(comment="A reply").get()


def second_newest():
    return Post.objects.published()[1]


def oldest():
    return Post.objects.published().last()


PAGES = {
    "home": lambda client: "/",
    "home, 15th page": fifteenth_page("/"),
    "home, older": cursor_page("/", "before", second_newest),
    "post": post_url,
    "tag": lambda client: "/tag/sea/",
    "tag, 15th page": fifteenth_page("/tag/sea/"),
    "archive": lambda client: "/archive/",
    "year": lambda client: "/2024/",
    "month": lambda client: "/2024/12/",
    "search": lambda client: "/search/?q=field",
    "feed": lambda client: "/feed/",
    "tag feed": lambda client: "/tag/sea/feed/",
    "sitemap": lambda client: "/sitemap.xml",
    "rss feed": lambda client: "/feed/rss/",
    "tag rss feed": lambda client: "/tag/sea/feed/rss/",
    "static page": lambda client: Page.objects.get(slug="about").get_absolute_url(),
    "commented post": lambda client: commented_post().get_absolute_url(),
    "commented page": lambda client: Page.objects.get(slug="guestbook").get_absolute_url(),
    "comment reply": lambda client: f"/comments/reply/{commented_post_comment().pk}/",
    "comments feed": lambda client: "/comments/feed/",
    "post comments feed": lambda client: f"/comments/feed/{commented_post().pk}/",
    "robots.txt": lambda client: "/robots.txt",
}


# A "Newer posts" page exists only with more than a page of newer posts; with fewer, the
# cursor sends the reader to the stream's first page instead.
NEWER_PAGES = {
    "home, newer": cursor_page("/", "after", oldest),
    "tag, newer": cursor_page("/tag/sea/", "after", oldest),
}


def count_queries(client, django_assert_max_num_queries, pages=PAGES):
    # Content types are looked up once per process, as in any running server; the next due
    # time of scheduled posts once per write, by whichever request comes first.
    # Cached derived data (the archive counts) is measured cold, as after a write.
    cache.clear()
    ContentType.objects.get_for_models(Post, Page)
    client.get("/robots.txt")
    counts = {}
    for name, url in pages.items():
        url = url(client)
        Site.objects.clear_cache()
        with django_assert_max_num_queries(CEILING) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[name] = len(captured)
    return counts


def test_page_queries_are_the_same_with_5_and_with_200_posts(
    client, author, post_factory, page_factory, django_assert_max_num_queries
):
    page_factory(title="About", slug="about")
    guestbook = page_factory(title="Guestbook", slug="guestbook", allow_comments=True)
    CommentFactory(post=guestbook, text="Signed")
    discussed = post_factory(title="Much discussed", tags=["Sea"])
    first = CommentFactory(post=discussed, text="A first thought")
    CommentFactory(post=discussed, parent=first, text="A reply")
    post_factory(draft=True, tags=["Sea"])
    post_factory(scheduled=True, tags=["Sea"])
    add_posts(author, 0, 5)
    with_5 = count_queries(client, django_assert_max_num_queries)

    add_posts(author, 5, 195)
    assert Post.objects.published().count() == 201  # With the commented post.
    with_200 = count_queries(client, django_assert_max_num_queries)

    assert with_5 == with_200
    assert fifteenth_page("/")(client).startswith("/?before=")


def test_newer_pages_cost_the_same_with_25_and_with_200_posts(
    client, author, django_assert_max_num_queries
):
    add_posts(author, 0, 25)
    with_25 = count_queries(client, django_assert_max_num_queries, NEWER_PAGES)

    add_posts(author, 25, 175)
    with_200 = count_queries(client, django_assert_max_num_queries, NEWER_PAGES)

    assert with_25 == with_200


def test_a_commented_page_costs_the_same_with_2_and_with_40_comments(
    client, page_factory, django_assert_max_num_queries
):
    guestbook = page_factory(title="Guestbook", slug="guestbook", allow_comments=True)
    pages = {"commented page": lambda client: guestbook.get_absolute_url()}
    first = CommentFactory(post=guestbook, text="A first thought")
    CommentFactory(post=guestbook, parent=first, text="A reply")
    with_2 = count_queries(client, django_assert_max_num_queries, pages)

    for n in range(38):
        CommentFactory(post=guestbook, parent=first if n % 2 else None, text=f"Thought {n}")
    with_40 = count_queries(client, django_assert_max_num_queries, pages)

    assert with_2 == with_40
    assert "40 comments:" in client.get(guestbook.get_absolute_url()).content.decode()


def test_on_sqlite_without_redis_the_cache_reads_fit_in_the_same_ceiling(
    client, author, post_factory, page_factory, settings, tmp_path, django_assert_max_num_queries
):
    """The caches as config/settings.py makes them for SQLite without Redis: the default cache
    is a table in the database, so the publication schedule that every request reads is kept
    in files beside it, as the page cache's generation is. No page pays a query for either."""
    database = tmp_path / "db.sqlite3"
    files = "caching.backends.FileBasedCache"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                    "LOCATION": "quire_cache"},
        "pages": {"BACKEND": files, "LOCATION": str(tmp_path / "page-cache")},
        "schedule": {"BACKEND": files, "LOCATION": f"{database}.schedule", "TIMEOUT": None},
    }  # fmt: skip
    settings.QUIRE_PAGE_CACHE_GENERATION_IN = "file"
    settings.QUIRE_PAGE_CACHE_GENERATION_FILE = f"{database}.page-generation"
    call_command("createcachetable", verbosity=0)
    page_factory(title="About", slug="about")
    guestbook = page_factory(title="Guestbook", slug="guestbook", allow_comments=True)
    CommentFactory(post=guestbook, text="Signed")
    discussed = post_factory(title="Much discussed", tags=["Sea"])
    CommentFactory(post=discussed, parent=CommentFactory(post=discussed), text="A reply")
    post_factory(scheduled=True, tags=["Sea"])
    add_posts(author, 0, 5)

    counts = count_queries(client, django_assert_max_num_queries)

    assert max(counts.values()) <= CEILING
    assert any((tmp_path / "db.sqlite3.schedule").iterdir()), "the schedule is in the files"
