"""The moderators' email decides a comment in one click, without logging in, once."""

import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from comments.xtd import XtdComment

pytestmark = pytest.mark.django_db

LINK = re.compile(r"  (Approve|Reject|Mark as spam): (http://testserver(/comments/moderate/\S+/))")


@pytest.fixture
def emailed(post, post_comment, moderator, mailoutbox):
    """A first-time reader's comment waits; the moderator's email holds three links."""
    post_comment(post, comment="Please let me in.")
    (message,) = mailoutbox
    assert message.to == [moderator.email]
    return {label: path for label, _url, path in LINK.findall(message.body)}


def test_the_email_carries_a_link_for_each_decision(emailed):
    assert set(emailed) == {"Approve", "Reject", "Mark as spam"}


def test_following_a_link_changes_nothing_a_post_from_its_page_decides(emailed):
    scanner, moderator_browser = Client(), Client()  # Neither is logged in.
    page = scanner.get(emailed["Approve"])
    assert page.status_code == 200
    assert "Approve this comment?" in page.content.decode()
    assert not XtdComment.objects.get().is_public  # A mail scanner's GET decides nothing.

    moderator_browser.get(emailed["Approve"])
    done = moderator_browser.post(emailed["Approve"])

    assert "Done: approve" in done.content.decode()
    comment = XtdComment.objects.get()
    assert comment.is_public and not comment.is_removed
    post_page = Client().get(comment.content_object.get_absolute_url()).content.decode()
    assert "Please let me in." in post_page


def test_a_link_works_once(emailed):
    browser = Client()
    browser.post(emailed["Approve"])
    again = browser.post(emailed["Reject"])  # Or the same link twice: the comment was decided.
    assert "Already decided" in again.content.decode()
    assert XtdComment.objects.get().is_public


def test_links_expire(emailed, settings):
    later = timezone.now() + datetime.timedelta(hours=settings.QUIRE_MODERATION_LINK_HOURS + 1)
    with time_machine.travel(later):
        response = Client().post(emailed["Approve"])
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert not XtdComment.objects.get().is_public


def test_a_forged_link_is_refused(emailed):
    forged = emailed["Approve"].replace("/moderate/", "/moderate/x")
    response = Client().post(forged)
    assert response.status_code == 410
    assert not XtdComment.objects.get().is_public


def test_a_moderator_who_left_the_group_can_no_longer_decide(emailed, moderator):
    moderator.groups.clear()
    response = Client().post(emailed["Mark as spam"])
    assert response.status_code == 410
    assert not XtdComment.objects.get().is_removed


def test_spam_from_the_email_is_spam(emailed):
    Client().post(emailed["Mark as spam"])
    comment = XtdComment.objects.get()
    assert comment.is_removed and not comment.is_public
