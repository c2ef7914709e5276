"""The moderation rules: who waits, who is published at once, what is refused outright."""

import datetime

import pytest
from django.utils import timezone

from comments import selectors, services
from comments.xtd import BlackListedDomain, XtdComment
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def test_first_time_commenter_is_held(post, post_comment):
    post_comment(post)
    assert XtdComment.objects.get().is_public is False


def test_holding_first_timers_can_be_switched_off(post, post_comment, settings):
    settings.QUIRE_COMMENTS_HOLD_FIRST_TIME = False
    post_comment(post)
    assert XtdComment.objects.get().is_public is True


def test_address_approved_before_is_trusted_case_insensitively(post, post_comment, moderator):
    approved = CommentFactory(post=post, email="ada@example.com", is_public=False)
    services.comments_approve(comments=[approved], moderator=moderator)

    post_comment(post, email="ADA@example.com", comment="Trusted now")

    assert XtdComment.objects.get(comment="Trusted now").is_public is True


def test_public_comment_without_approval_does_not_make_trust(post, post_comment):
    CommentFactory(post=post, email="ada@example.com", is_public=True)
    post_comment(post)
    assert XtdComment.objects.get(comment="A thoughtful comment.").is_public is False


@pytest.mark.parametrize(
    "comment",
    [
        "See https://a.example and http://b.example and www.c.example",
        "Buy cheap watches now",
    ],
)
def test_trusted_address_is_still_held_for_links_or_blocklisted_words(
    post, post_comment, moderator, settings, comment
):
    settings.QUIRE_COMMENTS_MAX_LINKS = 2
    settings.QUIRE_COMMENTS_BLOCKLIST = ["cheap watches"]
    services.comments_approve(
        comments=[CommentFactory(post=post, email="ada@example.com")], moderator=moderator
    )

    post_comment(post, comment=comment)

    assert XtdComment.objects.get(comment=comment).is_public is False


def test_two_links_are_fine_for_a_trusted_address(post, post_comment, moderator, settings):
    settings.QUIRE_COMMENTS_MAX_LINKS = 2
    services.comments_approve(
        comments=[CommentFactory(post=post, email="ada@example.com")], moderator=moderator
    )
    post_comment(post, comment="See https://a.example and https://b.example")
    assert XtdComment.objects.get(comment__startswith="See").is_public is True


def test_spam_words_are_rejected_outright(post, post_comment, settings, mailoutbox, moderator):
    settings.QUIRE_COMMENTS_SPAM_WORDS = ["casino"]
    response = post_comment(post, comment="Best CASINO bonus")
    assert response.status_code == 400
    assert not XtdComment.objects.exists()
    assert mailoutbox == []  # Caught spam costs the moderator nothing.


def test_blocklisted_email_domain_is_rejected(post, post_comment):
    BlackListedDomain.objects.create(domain="spam.example")
    assert post_comment(post, email="bot@spam.example").status_code == 400
    assert not XtdComment.objects.exists()


def test_address_marked_as_spam_is_refused_and_loses_trust(post, post_comment, moderator):
    comment = CommentFactory(post=post, email="ada@example.com")
    services.comments_approve(comments=[comment], moderator=moderator)
    services.comments_mark_spam(comments=[comment], moderator=moderator)

    assert post_comment(post).status_code == 400
    assert not selectors.email_is_trusted("ada@example.com")


def test_old_posts_moderate_every_comment_when_configured(
    post_factory, post_comment, moderator, settings
):
    settings.QUIRE_COMMENTS_MODERATE_AFTER_DAYS = 14
    old = post_factory(published_at=timezone.now() - datetime.timedelta(days=20))
    services.comments_approve(
        comments=[CommentFactory(post=old, email="ada@example.com")], moderator=moderator
    )
    post_comment(old, comment="On an old post")
    assert XtdComment.objects.get(comment="On an old post").is_public is False


def test_moderators_get_no_email_for_published_comments(
    post, post_comment, moderator, settings, mailoutbox
):
    settings.QUIRE_COMMENTS_HOLD_FIRST_TIME = False
    post_comment(post)
    assert mailoutbox == []


def test_comment_count_follows_visibility(post, moderator):
    comment = CommentFactory(post=post, is_public=False)
    post.refresh_from_db()
    assert post.comment_count == 0

    services.comments_approve(comments=[comment], moderator=moderator)
    post.refresh_from_db()
    assert post.comment_count == 1

    services.comments_reject(comments=[comment], moderator=moderator)
    post.refresh_from_db()
    assert post.comment_count == 0

    # Public again, so that deleting it has a count to take back.
    services.comments_approve(comments=[comment], moderator=moderator)
    post.refresh_from_db()
    assert post.comment_count == 1

    comment.refresh_from_db()
    comment.delete()
    post.refresh_from_db()
    assert post.comment_count == 0


@pytest.mark.parametrize(
    ("kind", "is_open"),
    [
        ("open", True),
        ("switched_off", False),
        ("young", True),
        ("closed_by_age", False),
        ("old_with_no_age_limit", True),
        ("draft", False),
        ("scheduled", False),
    ],
)
def test_the_form_is_shown_exactly_when_a_posted_comment_is_accepted(
    client, admin_client, post_comment, post_factory, settings, kind, is_open
):
    settings.QUIRE_COMMENTS_CLOSE_AFTER_DAYS = 0 if kind == "old_with_no_age_limit" else 30
    days_ago = {"young": 29, "closed_by_age": 31, "old_with_no_age_limit": 400}.get(kind)
    post = post_factory(
        allow_comments=kind != "switched_off",
        draft=kind == "draft",
        scheduled=kind == "scheduled",
        **(
            {"published_at": timezone.now() - datetime.timedelta(days=days_ago)} if days_ago else {}
        ),
    )
    page = client.get(post.get_absolute_url())
    if page.status_code == 404:  # Only the author's preview shows drafts and scheduled posts.
        page = admin_client.get(post.get_preview_url())
    assert page.status_code == 200
    form_is_shown = 'id="post-a-comment"' in page.content.decode()

    is_accepted = post_comment(post).status_code == 302 and XtdComment.objects.exists()

    assert form_is_shown == is_accepted == is_open
