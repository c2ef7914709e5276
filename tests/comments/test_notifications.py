"""Followers hear about new public comments, by Django mail, and can stop with one click."""

import re
import smtplib

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client

from comments import services
from comments.xtd import XtdComment
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def follower(post):
    return CommentFactory(post=post, name="Fern", email="fern@example.com", followup=True)


def mute_link(message):
    return re.search(r"https?://[^/\s]+(/comments/mute/[^\s]+)", message.body).group(1)


def test_approval_notifies_followers_with_an_unsubscribe_link(
    post, post_comment, moderator, follower, mailoutbox, django_capture_on_commit_callbacks
):
    post_comment(post, comment="A new voice")
    mailoutbox.clear()  # The moderators' notice.
    comment = XtdComment.objects.get(comment="A new voice")

    with django_capture_on_commit_callbacks(execute=True):
        services.comments_approve(comments=[comment], moderator=moderator)

    assert [m.to for m in mailoutbox] == [["fern@example.com"]]
    assert "A new voice" in mailoutbox[0].body
    # The link opens the page of the thread that shows the comment, however long the thread.
    link = re.search(r"https?://[^/\s]+(/comments/cr/\S+)", mailoutbox[0].body).group(1)
    assert link.endswith(f"#c{comment.pk}")
    landing = Client().get(link.split("#")[0])
    assert landing.status_code == 302
    assert landing["Location"].startswith(post.get_absolute_url())
    assert mute_link(mailoutbox[0])


@pytest.mark.parametrize(("redirects_to_https", "scheme"), [(True, "https"), (False, "http")])
def test_links_in_followers_emails_use_the_scheme_the_site_serves(
    post, post_comment, moderator, follower, mailoutbox, django_capture_on_commit_callbacks,
    settings, redirects_to_https, scheme,
):  # fmt: skip
    post_comment(post, comment="A new voice")
    mailoutbox.clear()
    settings.SECURE_SSL_REDIRECT = redirects_to_https
    with django_capture_on_commit_callbacks(execute=True):
        services.comments_approve(
            comments=[XtdComment.objects.get(comment="A new voice")], moderator=moderator
        )
    links = re.findall(r"(https?)://[^/\s]+/comments/", mailoutbox[0].body)
    assert links and set(links) == {scheme}


def test_pending_comment_is_never_emailed_to_readers(post, post_comment, follower, mailoutbox):
    post_comment(post, comment="Not yet approved")
    assert all("fern@example.com" not in m.to for m in mailoutbox)


def test_trusted_comment_notifies_followers_at_once(
    trust_reader, post, post_comment, moderator, follower, mailoutbox
):
    trust_reader(post)
    mailoutbox.clear()
    post_comment(post, comment="Published at once")
    assert [m.to for m in mailoutbox] == [["fern@example.com"]]


def test_commenter_is_not_notified_of_their_own_comment(post, post_comment, mailoutbox, settings):
    settings.QUIRE_COMMENTS_HOLD_FIRST_TIME = False
    CommentFactory(post=post, email="ada@example.com", followup=True)
    post_comment(post)
    assert mailoutbox == []


def test_unsubscribe_link_stops_notifications(
    client, post, post_comment, follower, mailoutbox, settings
):
    settings.QUIRE_COMMENTS_HOLD_FIRST_TIME = False
    post_comment(post, comment="First")
    link = mute_link(mailoutbox[0])
    # Opening the link (a mail scanner does) only asks: nothing changes until the reader says.
    asked = client.get(link)
    assert asked.status_code == 200 and "Stop the emails" in asked.content.decode()
    follower.refresh_from_db()
    assert follower.followup is True
    response = client.post(link)
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    follower.refresh_from_db()
    assert follower.followup is False

    mailoutbox.clear()
    post_comment(post, comment="Second")
    assert mailoutbox == []


def test_tampered_unsubscribe_link_is_refused(client):
    assert client.get("/comments/mute/not-a-valid-key/").status_code == 400


def test_opt_in_checkbox_is_off_by_default(client, post):
    page = client.get(post.get_absolute_url()).content.decode()
    assert '<input type="checkbox" name="followup" id="id_followup">' in page


class MailServerDown(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPException("Connection unexpectedly closed")


@pytest.fixture
def mail_server_down(settings):
    settings.EMAIL_BACKEND = f"{__name__}.MailServerDown"


def test_reader_lands_on_the_post_when_the_mail_server_is_down(
    trust_reader, client, post, post_comment, moderator, follower, mail_server_down, caplog
):
    trust_reader(post)

    response = post_comment(post, follow=True, comment="Said while mail is down")

    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith(post.get_absolute_url())
    assert "Your comment has been published" in response.content.decode()
    assert "Said while mail is down" in response.content.decode()
    assert "Could not email" in caplog.text


def test_waiting_comment_is_taken_when_the_mail_server_is_down(
    client, post, post_comment, moderator, follower, mail_server_down
):
    response = post_comment(post, follow=True, comment="Waiting while mail is down")
    assert response.status_code == 200
    assert "Your comment is awaiting moderation" in response.content.decode()


def test_approval_succeeds_when_the_mail_server_is_down(
    client, post, moderator, follower, mail_server_down, caplog, django_capture_on_commit_callbacks
):
    comment = CommentFactory(post=post, is_public=False, text="Approved while mail is down")
    client.force_login(moderator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/django_comments_xtd/xtdcomment/",
            {"action": "approve_comments", "_selected_action": [comment.pk]},
            follow=True,
        )

    assert response.status_code == 200
    assert "1 comment(s) approved and published." in response.content.decode()
    comment.refresh_from_db()
    assert comment.is_public
    assert "Could not email" in caplog.text
