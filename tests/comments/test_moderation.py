"""The moderation rules: who waits, who is published at once, what is refused outright."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from comments import selectors, services
from comments.trust import COOKIE_NAME
from comments.xtd import BlackListedDomain, XtdComment
from tests.factories import CommentFactory

from .conftest import browser_key_of, form_data

pytestmark = pytest.mark.django_db


def test_first_time_commenter_is_held(post, post_comment):
    post_comment(post)
    assert XtdComment.objects.get().is_public is False


def test_holding_first_timers_can_be_switched_off(post, post_comment, settings):
    settings.QUIRE_COMMENTS_HOLD_FIRST_TIME = False
    post_comment(post)
    assert XtdComment.objects.get().is_public is True


def test_address_approved_before_is_trusted_case_insensitively(post, post_comment, trust_reader):
    trust_reader(post, email="ada@example.com")

    post_comment(post, email="ADA@example.com", comment="Trusted now")

    assert XtdComment.objects.get(comment="Trusted now").is_public is True


def test_trust_cannot_be_borrowed_by_typing_a_trusted_address(post, trust_reader):
    trust_reader(post, email="ada@example.com")
    spammer = Client()  # Another browser: no commenter cookie of Ada's.

    spammer.post("/comments/post/", form_data(post, comment="Forged trust, cheap pills"))

    assert XtdComment.objects.get(comment="Forged trust, cheap pills").is_public is False


def test_a_forged_commenter_cookie_earns_nothing(client, post, trust_reader):
    trust_reader(post, email="ada@example.com")
    spammer = Client()
    spammer.cookies[COOKIE_NAME] = browser_key_of(client)  # The key without its signature.

    spammer.post("/comments/post/", form_data(post, comment="Copied the cookie's key"))

    assert XtdComment.objects.get(comment="Copied the cookie's key").is_public is False


def test_trust_stays_with_the_browser_after_its_session_ends(client, post, trust_reader):
    trust_reader(post, email="ada@example.com")
    later = Client()  # The session is gone; the long-lived commenter cookie is not.
    later.cookies[COOKIE_NAME] = client.cookies[COOKIE_NAME].value

    later.post("/comments/post/", form_data(post, comment="Back a month later"))

    assert XtdComment.objects.get(comment="Back a month later").is_public is True


def test_a_trusted_browser_with_another_address_is_held(post, post_comment, trust_reader):
    trust_reader(post, email="ada@example.com")
    post_comment(post, email="someone.else@example.com", comment="Not Ada")
    assert XtdComment.objects.get(comment="Not Ada").is_public is False


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
    trust_reader, post, post_comment, moderator, settings, comment
):
    settings.QUIRE_COMMENTS_MAX_LINKS = 2
    settings.QUIRE_COMMENTS_BLOCKLIST = ["cheap watches"]
    trust_reader(post)

    post_comment(post, comment=comment)

    assert XtdComment.objects.get(comment=comment).is_public is False


def test_two_links_are_fine_for_a_trusted_address(
    trust_reader, post, post_comment, moderator, settings
):
    settings.QUIRE_COMMENTS_MAX_LINKS = 2
    trust_reader(post)
    post_comment(post, comment="See https://a.example and https://b.example")
    assert XtdComment.objects.get(comment__startswith="See").is_public is True


def test_caught_spam_waits_in_the_spam_folder_with_its_reason(
    client, post, post_comment, settings, mailoutbox, moderator
):
    settings.QUIRE_COMMENTS_SPAM_WORDS = ["casino"]
    response = post_comment(post, comment="Best CASINO bonus", follow=True)

    caught = XtdComment.objects.get()
    assert caught.is_removed and not caught.is_public
    assert [r.detail for r in caught.hold_reasons.all()] == ["matched spam word 'casino'"]
    assert mailoutbox == []  # Caught spam costs the moderator nothing.
    assert "held for a moderator to check" in response.content.decode()
    post.refresh_from_db()
    assert post.comment_count == 0
    for path in (post.get_absolute_url(), "/comments/feed/", f"/comments/feed/{post.pk}/"):
        assert "Best CASINO bonus" not in Client().get(path).content.decode(), path


def test_blocklisted_email_domain_is_caught_as_spam(post, post_comment):
    BlackListedDomain.objects.create(domain="spam.example")
    post_comment(post, email="bot@spam.example")
    caught = XtdComment.objects.get()
    assert caught.is_removed
    assert caught.hold_reasons.get().detail == "email domain 'spam.example' is blocked"


def test_a_moderator_rescues_a_false_positive(client, post, post_comment, moderator, settings):
    settings.QUIRE_COMMENTS_SPAM_WORDS = ["viagra"]
    post_comment(post, comment="My doctor said viagra was not the answer; walking was.")
    caught = XtdComment.objects.get()

    services.comments_approve(comments=[caught], moderator=moderator)

    page = Client().get(post.get_absolute_url()).content.decode()
    assert "walking was." in page
    post.refresh_from_db()
    assert post.comment_count == 1


def test_spam_nobody_rescues_is_deleted_after_thirty_days(post, post_comment, settings):
    import time_machine

    settings.QUIRE_COMMENTS_SPAM_WORDS = ["casino"]
    post_comment(post, comment="Old casino spam")
    later = timezone.now() + datetime.timedelta(days=services.SPAM_KEPT_DAYS + 1)
    with time_machine.travel(later, tick=False):
        post_comment(post, comment="New casino spam")  # Any catch clears the old ones.
    assert list(XtdComment.objects.values_list("comment", flat=True)) == ["New casino spam"]


def test_address_marked_as_spam_is_refused_and_loses_trust(
    client, post, post_comment, moderator, trust_reader
):
    comment = trust_reader(post, email="ada@example.com")
    services.comments_mark_spam(comments=[comment], moderator=moderator)

    post_comment(post)
    assert XtdComment.objects.get(comment="A thoughtful comment.").is_removed
    assert not selectors.commenter_is_trusted(
        email="ada@example.com", browser_key=browser_key_of(client)
    )


def test_old_posts_moderate_every_comment_when_configured(
    trust_reader, post_factory, post_comment, moderator, settings
):
    settings.QUIRE_COMMENTS_MODERATE_AFTER_DAYS = 14
    old = post_factory(published_at=timezone.now() - datetime.timedelta(days=20))
    trust_reader(old)
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
