"""comment_create: the one write path for a comment (demo data, tests, later importers)."""

import pytest

from comments.services import comment_create

pytestmark = pytest.mark.django_db


def test_a_reply_is_threaded_under_its_parent_as_the_library_does(post):
    root = comment_create(post=post, name="Ada", email="ada@example.com", text="First")
    reply = comment_create(
        post=post, name="Bo", email="bo@example.com", text="Second", parent=root, followup=True
    )

    root.refresh_from_db()
    assert (root.thread_id, root.parent_id, root.level, root.order) == (root.pk, root.pk, 0, 1)
    assert (reply.thread_id, reply.parent_id, reply.level, reply.order) == (root.pk, root.pk, 1, 2)
    assert root.nested_count == 1
    assert reply.followup is True and reply.submit_date is not None
    assert reply.content_object == post


def test_the_post_count_follows_what_is_created(post):
    comment_create(post=post, name="Ada", email="ada@example.com", text="Public")
    comment_create(post=post, name="Bo", email="bo@example.com", text="Waiting", is_public=False)
    comment_create(post=post, name="Cy", email="cy@example.com", text="Gone", is_removed=True)
    post.refresh_from_db()
    assert post.comment_count == 1
