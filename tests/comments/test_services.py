"""comment_create: the one write path for a comment (demo data, tests, later importers)."""

import pytest

from comments.models import CommentHTML
from comments.rendering import comment_text
from comments.services import comment_create, comments_create_many
from comments.xtd import XtdComment

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


def test_comments_made_in_bulk_are_stored_as_one_by_one(post, post_factory):
    other = post_factory()
    one_root = comment_create(post=post, name="Ada", email="ada@example.com", text="First")
    one_reply = comment_create(
        post=post, name="Bo", email="bo@example.com", text="2", parent=one_root
    )
    one_deeper = comment_create(
        post=post, name="Cy", email="cy@example.com", text="3", parent=one_reply
    )

    roots = comments_create_many(
        comments=[
            {"post": other, "name": "Ada", "email": "ada@example.com", "text": "First"},
            {
                "post": other,
                "name": "Di",
                "email": "di@example.com",
                "text": "No",
                "is_public": False,
            },
        ]
    )
    (reply,) = comments_create_many(
        comments=[
            {
                "post": other,
                "name": "Bo",
                "email": "bo@example.com",
                "text": "2",
                "parent": roots[0],
            }
        ]
    )
    (deeper,) = comments_create_many(
        comments=[
            {"post": other, "name": "Cy", "email": "cy@example.com", "text": "3", "parent": reply}
        ]
    )

    def threading(comment):
        comment.refresh_from_db()
        parent = XtdComment.norel_objects.get(pk=comment.parent_id)
        root = XtdComment.norel_objects.get(pk=comment.thread_id)
        return (parent.comment, root.comment, comment.level, comment.order, comment.nested_count)

    assert [threading(c) for c in (roots[0], reply, deeper)] == [
        threading(c) for c in (one_root, one_reply, one_deeper)
    ]
    assert threading(roots[1]) == ("No", "No", 0, 1, 0)
    assert deeper.submit_date is not None and deeper.content_object == other
    other.refresh_from_db()
    assert other.comment_count == 3


def test_comments_made_in_bulk_have_their_html_stored_as_a_save_would(post):
    (comment,) = comments_create_many(
        comments=[
            {
                "post": post,
                "name": "Ada",
                "email": "ada@example.com",
                "text": "See https://example.com/ <now>\n\nBye",
            }
        ]
    )
    saved = comment_create(post=post, name="Bo", email="bo@example.com", text=comment.comment)

    stored = CommentHTML.objects.get(comment_id=comment.pk).html
    assert stored == CommentHTML.objects.get(comment_id=saved.pk).html
    assert "&lt;now&gt;" in stored and 'href="https://example.com/"' in stored


def test_comments_made_in_bulk_keep_their_own_html_and_counts_across_posts(post, post_factory):
    other = post_factory()
    texts = ["See https://example.com/", "Plain", "See https://example.com/", "<b>bold</b>"]
    created = comments_create_many(
        comments=[
            {"post": target, "name": "Ada", "email": "ada@example.com", "text": text}
            for target, text in zip([post, post, other, other], texts, strict=True)
        ]
        + [
            {
                "post": other,
                "name": "Di",
                "email": "di@example.com",
                "text": "x",
                "is_public": False,
            }
        ]
    )

    for comment in created:
        saved = XtdComment.norel_objects.get(pk=comment.pk)
        assert not comment._state.adding
        assert (saved.comment, saved.object_pk) == (comment.comment, comment.object_pk)
        assert CommentHTML.objects.get(comment_id=comment.pk).html == comment_text(comment.comment)
    post.refresh_from_db()
    other.refresh_from_db()
    assert (post.comment_count, other.comment_count) == (2, 2)
