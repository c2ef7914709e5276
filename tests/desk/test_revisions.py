"""Revisions kept on save, autosaves that never touch the post, restores, comparisons."""

import datetime as dt

import pytest
import time_machine

from blog.models import Post
from desk.models import Revision
from desk.revisions import (
    autosave_to_offer,
    compare,
    diff_lines,
    diff_words,
    labels_text,
    post_as_revision,
    post_restore_revision,
    revision_autosave,
    revision_record,
)
from tests.factories import PostFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2024, 10, 23, 10, 42, tzinfo=dt.UTC)


def autosave(post, author, **words):
    fields = {"title": post.title, "body": post.body, "excerpt": post.excerpt, "labels": ""}
    return revision_autosave(post=post, author=author, **{**fields, **words})


def test_a_save_keeps_the_words_labels_and_writer(author):
    post = PostFactory(title="Café at dawn", body="Light.", excerpt="Short.", tags=["Sea", "Café"])
    revision = revision_record(post=post, author=author)
    assert (revision.title, revision.body, revision.excerpt) == ("Café at dawn", "Light.", "Short.")
    assert revision.labels == "Café, Sea"
    assert revision.author == author
    assert revision.kind == Revision.Kind.SAVED


def test_a_save_that_changes_no_word_keeps_no_second_revision(author):
    post = PostFactory(draft=True)
    first = revision_record(post=post, author=author)
    post.status = Post.Status.PUBLISHED
    post.save()
    assert revision_record(post=post, author=author) is None
    post.body += " More."
    post.save()
    assert revision_record(post=post, author=author) != first
    assert post.revisions.count() == 2


def test_an_autosave_never_changes_the_post_and_is_one_per_writer(author, user_factory):
    post = PostFactory(title="Stored", body="Stored body.")
    stored = Post.objects.values().get(pk=post.pk)
    autosave(post, author, body="Half a sent")
    autosave(post, author, body="Half a sentence, then more")
    other = user_factory(username="editor", is_staff=True)
    autosave(post, other, body="The editor's words")
    assert Post.objects.values().get(pk=post.pk) == stored
    autosaves = post.revisions.filter(kind=Revision.Kind.AUTOSAVE)
    assert autosaves.count() == 2
    assert autosaves.get(author=author).body == "Half a sentence, then more"


def test_an_autosave_keeps_a_title_too_long_to_save_to_its_first_200_characters(author):
    post = PostFactory()
    revision = autosave(post, author, title="é" * 500, body="🙂" * 10_000)
    revision.refresh_from_db()
    assert revision.title == "é" * 200
    assert revision.body == "🙂" * 10_000


def test_the_autosave_is_offered_only_while_newer_than_the_post_and_different(author):
    with time_machine.travel(NOW, tick=False):
        post = PostFactory(body="Saved.")
    with time_machine.travel(NOW + dt.timedelta(minutes=5), tick=False):
        same = autosave(post, author)
        assert autosave_to_offer(post=post, author=author) is None  # Nothing new in it.
        autosave(post, author, body="Saved. And then")
        assert autosave_to_offer(post=post, author=author) == same
        assert autosave_to_offer(post=post, author=UserFactory(username="other")) is None
    with time_machine.travel(NOW + dt.timedelta(minutes=6), tick=False):
        post.body = "Saved differently elsewhere."
        post.save()  # A later save: the autosave is older than the post now.
    assert autosave_to_offer(post=post, author=author) is None


def test_saving_throws_away_the_writers_autosave_only(author, user_factory):
    post = PostFactory()
    other = user_factory(username="editor", is_staff=True)
    autosave(post, author, body="Mine")
    autosave(post, other, body="Theirs")
    revision_record(post=post, author=author)
    assert list(
        post.revisions.filter(kind=Revision.Kind.AUTOSAVE).values_list("body", flat=True)
    ) == ["Theirs"]


def test_restoring_brings_back_words_and_labels_and_records_where_from(author):
    with time_machine.travel(NOW, tick=False):
        post = PostFactory(title="First title", body="First body.", tags=["Sea"])
        first = revision_record(post=post, author=author)
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        post.title, post.body = "Second title", "Second body."
        post.save()
        post.tags.set(["Hills", "Rain"])
        revision_record(post=post, author=author)
    with time_machine.travel(NOW + dt.timedelta(hours=2), tick=False):
        restored = post_restore_revision(post=post, revision=first, user=author)
    post = Post.objects.get(pk=post.pk)
    assert (post.title, post.body) == ("First title", "First body.")
    assert "First body." in post.body_html  # Rendered again, as every save does.
    assert labels_text(post) == "Sea"
    assert restored.kind == Revision.Kind.RESTORED and restored.restored_from == first
    assert post.revisions.count() == 3


def test_the_preview_copy_wears_the_revisions_words_and_labels_without_saving(author):
    post = PostFactory(title="Live", body="Live body.", tags=["Sea"])
    revision = autosave(
        post, author, title="New <b>title</b>", body="*New* body.", labels="Rain, 🙂 new"
    )
    copy = post_as_revision(revision)
    assert copy.pk == post.pk and copy.title == "New <b>title</b>"
    assert "<em>New</em>" in copy.body_html
    assert sorted(tag.name for tag in copy.tags.all()) == ["Rain", "🙂 new"]
    post.refresh_from_db()
    assert (post.title, post.body, labels_text(post)) == ("Live", "Live body.", "Sea")


def test_the_preview_copy_sanitises_what_the_author_typed(author):
    post = PostFactory()
    revision = autosave(
        post, author, body='<script>alert(1)</script><img src=x onerror="alert(2)">'
    )
    assert "<script" not in post_as_revision(revision).body_html
    assert "onerror" not in post_as_revision(revision).body_html


def test_words_that_changed_inside_a_line_are_marked():
    assert diff_words("The quick fox", "The slow fox") == [
        ("same", "The "),
        ("del", "quick"),
        ("ins", "slow"),
        ("same", " fox"),
    ]


def test_a_long_body_folds_the_lines_that_did_not_change():
    old = "\n".join(f"Line {n}" for n in range(100))
    new = old.replace("Line 50", "Line fifty") + "\nA new last line"
    lines = diff_lines(old, new)
    kinds = [line.kind for line in lines]
    assert kinds == [
        "skipped",
        "same",
        "same",
        "changed",
        "same",
        "same",
        "skipped",
        "same",
        "same",
        "added",
    ]
    assert lines[0].skipped == 48
    assert lines[-1].segments == [("ins", "A new last line")]


def test_comparing_shows_each_field_and_the_labels_added_and_removed():
    older = Revision(title="Café", body="Same.", excerpt="", labels="Sea, Rain")
    newer = Revision(title="Café au lait", body="Same.", excerpt="New excerpt", labels="sea, Hills")
    title, labels, excerpt, body = compare(older, newer)
    assert title.is_changed and not body.is_changed
    assert labels.added == ["Hills"] and labels.removed == ["Rain"]  # "sea" is "Sea".
    assert excerpt.lines[0].kind == "added"


def test_comparing_identical_or_empty_revisions_finds_nothing():
    empty = Revision(title="", body="", excerpt="", labels="")
    assert not any(change.is_changed for change in compare(empty, empty))
