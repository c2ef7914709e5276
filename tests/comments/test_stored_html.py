"""A comment's HTML is made when it is saved, and every place that shows the comment uses it."""

import importlib

import pytest
from django.apps import apps

from comments.models import CommentHTML
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

LINKED = '<a rel="nofollow ugc noopener" href="https://example.com/">https://example.com/</a>'


def test_saving_a_comment_stores_its_html(post):
    comment = CommentFactory(post=post, text="Look: https://example.com/\n\n<b>bold</b>")
    stored = CommentHTML.objects.get(comment=comment).html
    assert stored == f"<p>Look: {LINKED}</p>\n<p>&lt;b&gt;bold&lt;/b&gt;</p>"


def test_a_comment_posted_through_the_form_stores_its_html(post, post_comment, settings):
    settings.QUIRE_COMMENTS_HOLD_FIRST_TIME = False
    post_comment(post, comment="Posted: https://example.com/")
    assert CommentHTML.objects.get().html == f"<p>Posted: {LINKED}</p>"


def test_an_edited_comment_shows_its_new_text(client, post):
    comment = CommentFactory(post=post, text="First thoughts.")
    comment.comment = "Second thoughts, https://example.com/"
    comment.save()  # As the admin's change form saves it.
    page = client.get(post.get_absolute_url()).content.decode()
    assert "First thoughts." not in page
    assert f"<p>Second thoughts, {LINKED}</p>" in page


def test_feeds_and_the_reply_page_show_the_stored_html(client, post):
    comment = CommentFactory(post=post, text="See https://example.com/")
    CommentHTML.objects.filter(comment=comment).update(html="<p>Stored once.</p>")
    assert "Stored once." in client.get(f"/comments/reply/{comment.pk}/").content.decode()
    assert "Stored once." in client.get(f"/comments/feed/{post.pk}/").content.decode()
    assert "Stored once." in client.get(post.get_absolute_url()).content.decode()


def test_the_migration_fills_the_html_of_existing_comments(post):
    comment = CommentFactory(post=post, text="Written before https://example.com/")
    CommentHTML.objects.all().delete()
    migration = importlib.import_module("comments.migrations.0002_comment_html")
    migration.fill_comment_html(apps, schema_editor=None)
    assert CommentHTML.objects.get(comment=comment).html == f"<p>Written before {LINKED}</p>"


def test_a_comment_without_stored_html_still_shows(client, post):
    comment = CommentFactory(post=post, text="Saved around the signals.")
    CommentHTML.objects.filter(comment=comment).delete()
    page = client.get(post.get_absolute_url()).content.decode()
    assert "<p>Saved around the signals.</p>" in page
