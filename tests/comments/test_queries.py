"""The post page and the home page cost the same number of queries at 0 and at 300 comments."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def queries_for(client, url):
    client.get(url)  # Warm the content-type cache, as any running server has.
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def add_comments(post, count):
    parents = []
    for n in range(count):
        parent = parents[n % len(parents)] if n % 3 and parents else None
        comment = CommentFactory(post=post, parent=parent, text=f"Comment number {n}")
        if parent is None:
            parents.append(comment)


def test_post_page_queries_do_not_grow_with_comments(
    client, post_factory, django_assert_num_queries
):
    empty = post_factory()
    busy = post_factory()
    add_comments(busy, 300)
    busy.refresh_from_db()
    assert busy.comment_count == 300

    expected = queries_for(client, empty.get_absolute_url())
    with django_assert_num_queries(expected):
        response = client.get(busy.get_absolute_url())
    assert "300 comments:" in response.content.decode()
    assert response.content.decode().count('class="comment"') == 300


def test_home_page_counts_cost_no_query_per_post(client, post_factory, django_assert_num_queries):
    posts = [post_factory() for _ in range(5)]
    baseline = queries_for(client, "/")
    for post in posts:
        add_comments(post, 20)
    with django_assert_num_queries(baseline):
        client.get("/")


def test_post_page_query_budget(client, post, django_assert_max_num_queries):
    add_comments(post, 50)
    client.get(post.get_absolute_url())
    with django_assert_max_num_queries(6):
        client.get(post.get_absolute_url())
