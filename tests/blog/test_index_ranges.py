"""Older and newer than a post, at any depth, cost what they cost at the top of the blog.

SQLite ranges its index over only one of two upper bounds on a column; the public rule's
(published before now) must not be the one it picks over a cursor's. Counted in SQLite's own
virtual-machine steps, which do not depend on the machine or its load.
"""

import datetime as dt

import pytest
from django.db import connection

from blog.models import Post
from blog.pagination import encode_cursor
from blog.services import posts_create_many

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner only"),
]

POSTS = 3_000
NEWEST = dt.datetime(2024, 12, 30, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def blog(author):
    return posts_create_many(
        posts=[
            Post(
                title=f"Post {n}",
                slug=f"post-{n}",
                author=author,
                body="A short body.",
                status=Post.Status.PUBLISHED,
                published_at=NEWEST - dt.timedelta(days=n),  # A month holds 30.
            )
            for n in range(POSTS)
        ]
    )


def sqlite_steps(client, url):
    """SQLite virtual-machine steps (in hundreds) spent serving url, the second time."""
    assert client.get(url).status_code == 200
    steps = 0

    def count():
        nonlocal steps
        steps += 1
        return 0  # Go on.

    connection.connection.set_progress_handler(count, 100)
    try:
        assert client.get(url).status_code == 200
    finally:
        connection.connection.set_progress_handler(None, 100)
    return steps


def test_a_post_in_the_middle_finds_its_neighbours_as_fast_as_one_near_the_top(client, blog):
    near_top, middle = blog[1], blog[POSTS // 2]
    at_top = sqlite_steps(client, near_top.get_absolute_url())
    assert sqlite_steps(client, middle.get_absolute_url()) < at_top * 1.5


def test_an_older_page_in_the_middle_costs_what_the_second_page_costs(client, blog):
    second = sqlite_steps(client, f"/?before={encode_cursor(blog[9])}")
    middle = sqlite_steps(client, f"/?before={encode_cursor(blog[POSTS // 2])}")
    assert middle < second * 1.5
    newer = sqlite_steps(client, f"/?after={encode_cursor(blog[POSTS // 2])}")
    assert newer < second * 1.5


def test_a_month_deep_in_the_blog_costs_what_a_recent_month_costs(client, blog):
    recent, deep = blog[40].published_at, blog[POSTS // 2].published_at
    at_top = sqlite_steps(client, f"/{recent:%Y/%m}/")
    assert sqlite_steps(client, f"/{deep:%Y/%m}/") < at_top * 1.5
