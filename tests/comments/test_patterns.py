"""Moderators write their own rules: a pattern that holds a comment, or catches it as spam."""

import pytest

from comments.models import CommentPattern
from comments.xtd import XtdComment

pytestmark = pytest.mark.django_db

PATTERNS = "/admin/comments/commentpattern/"


@pytest.fixture(autouse=True)
def _nobody_held_for_being_new(settings):
    settings.QUIRE_COMMENTS_HOLD_FIRST_TIME = False


def test_a_hold_pattern_holds_with_its_reason(post, post_comment):
    CommentPattern.objects.create(pattern=r"\bessay\s+writing\b", note="paper mills")
    post_comment(post, comment="Best ESSAY   writing help here")
    held = XtdComment.objects.get()
    assert not held.is_public and not held.is_removed
    assert (
        held.hold_reasons.get().detail == r"matched the pattern /\bessay\s+writing\b/ (paper mills)"
    )


def test_a_spam_pattern_catches_on_any_field(post, post_comment):
    CommentPattern.objects.create(pattern=r"@mail\.example$", action="spam")
    post_comment(post, email="someone@MAIL.example", comment="Innocent words")
    caught = XtdComment.objects.get()
    assert caught.is_removed
    assert caught.hold_reasons.get().rule == "spam_pattern"


def test_an_inactive_pattern_does_nothing(post, post_comment):
    CommentPattern.objects.create(pattern="walking", is_active=False)
    post_comment(post, comment="I like walking")
    assert XtdComment.objects.get().is_public


def test_a_moderator_adds_a_pattern_and_a_broken_one_is_refused(client, moderator):
    client.force_login(moderator)
    broken = client.post(PATTERNS + "add/", {"pattern": "(unclosed", "action": "hold"})
    assert "Not a regular expression" in broken.content.decode()
    assert not CommentPattern.objects.exists()
    client.post(PATTERNS + "add/", {"pattern": "casino", "action": "spam", "is_active": "on"})
    assert CommentPattern.objects.get().action == "spam"


def test_staff_outside_the_moderators_cannot_write_patterns(client, user_factory):
    client.force_login(user_factory(username="staffer", is_staff=True))
    assert client.get(PATTERNS).status_code == 403
