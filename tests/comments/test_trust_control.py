"""A moderator trusts a commenter (their next comments skip the queue), sees who is trusted, and
withdraws it; typing a trusted reader's address in another browser still earns nothing."""

import importlib

import pytest
from django.apps import apps
from django.test import Client

from comments import services
from comments.models import CommenterTrust, HoldRule, TrustedBrowser
from comments.selectors import commenter_is_trusted
from comments.xtd import XtdComment
from tests.factories import CommentFactory, UserFactory

from .conftest import browser_key_of, form_data

pytestmark = pytest.mark.django_db

QUEUE = "/admin/django_comments_xtd/xtdcomment/"
TRUSTED = "/admin/comments/commentertrust/"


@pytest.fixture
def desk(moderator):
    """The moderator's own browser, logged in."""
    desk = Client()
    desk.force_login(moderator)
    return desk


def send(browser, post, text, email="fern@example.com"):
    browser.post("/comments/post/", form_data(post, name="Fern", email=email, comment=text))
    return XtdComment.objects.get(comment=text)


def is_held(comment):
    comment.refresh_from_db()
    return not comment.is_public and not comment.is_removed


def test_trust_from_a_queue_row_skips_the_queue_only_from_that_browser(client, post, desk):
    waiting = send(client, post, "My first comment here")
    row = desk.get(QUEUE).content.decode()
    assert f'name="decide" value="trust:{waiting.pk}"' in row
    assert "not trusted" in row

    response = desk.post(QUEUE, {"decide": f"trust:{waiting.pk}"}, follow=True)
    assert "Trusted fern@example.com" in response.content.decode()
    assert not is_held(waiting)  # Trusting approves the comment it was given on.
    trust = CommenterTrust.objects.get()
    assert (trust.email, trust.scope) == ("fern@example.com", CommenterTrust.Scope.BROWSERS)
    assert trust.browsers.count() == 1

    assert not is_held(send(client, post, "Back again, from my own laptop"))
    forged = send(Client(), post, "Fern here, honest", email="FERN@example.com")
    assert is_held(forged)  # Her address, typed in another browser: held, as any first comment.
    assert forged.hold_reasons.get().rule == HoldRule.FIRST_TIME
    queue = desk.get(QUEUE).content.decode()
    assert "trusted from other browsers, not the one this came from" in queue
    assert f'value="trust:{forged.pk}"' in queue  # The moderator may still; warned.


def test_trust_needs_a_moderator_and_a_csrf_token(client, post, moderator):
    waiting = send(client, post, "Trust me")
    staff = Client()
    staff.force_login(UserFactory(username="sam", is_staff=True))
    assert staff.post(QUEUE, {"decide": f"trust:{waiting.pk}"}).status_code == 403
    assert staff.get(f"{QUEUE}{waiting.pk}/trust/").status_code == 403
    forged_post = Client(enforce_csrf_checks=True)
    forged_post.force_login(moderator)
    assert forged_post.post(f"{QUEUE}{waiting.pk}/trust/", {"scope": "any"}).status_code == 403
    assert forged_post.post(QUEUE, {"decide": f"trust:{waiting.pk}"}).status_code == 403
    assert not CommenterTrust.objects.exists() and is_held(waiting)


def test_a_comments_page_offers_trust_and_ban(client, post, desk):
    waiting = send(client, post, "See my page")
    page = desk.get(f"{QUEUE}{waiting.pk}/change/").content.decode()
    assert f"{QUEUE}{waiting.pk}/trust/" in page
    assert "/admin/comments/commenterban/add/?email=fern%40example.com" in page
    trust_page = desk.get(f"{QUEUE}{waiting.pk}/trust/").content.decode()
    assert "anyone who types fern@example.com into the form skips the queue" in trust_page
    assert 'name="csrfmiddlewaretoken"' in trust_page


def test_trust_from_any_browser_is_the_moderators_choice_and_says_what_it_costs(client, post, desk):
    waiting = send(client, post, "I write from my phone and my laptop")
    response = desk.post(f"{QUEUE}{waiting.pk}/trust/", {"scope": "any"}, follow=True)
    assert "from any browser" in response.content.decode()
    assert CommenterTrust.objects.get().scope == CommenterTrust.Scope.ANY_BROWSER
    assert not is_held(send(Client(), post, "From the phone"))
    # A row trusted again from the queue keeps the wider trust.
    desk.post(QUEUE, {"decide": f"trust:{waiting.pk}"})
    assert CommenterTrust.objects.get().scope == CommenterTrust.Scope.ANY_BROWSER


def test_withdrawn_trust_holds_them_again_even_once_approved(client, post, desk, moderator):
    first = send(client, post, "Hello")
    services.comments_approve(comments=[first], moderator=moderator)  # Approval trusts too.
    assert not is_held(send(client, post, "Hello again"))
    listing = desk.get(TRUSTED).content.decode()
    assert "fern@example.com" in listing

    trust = CommenterTrust.objects.get()
    desk.post(TRUSTED, {"action": "withdraw_trust", "_selected_action": [trust.pk]})
    trust.refresh_from_db()
    assert trust.scope == CommenterTrust.Scope.WITHDRAWN and not trust.browsers.exists()
    held = send(client, post, "A third one")
    assert is_held(held)
    assert held.hold_reasons.get().detail == "a moderator withdrew this address's trust"
    services.comments_approve(comments=[held], moderator=moderator)
    assert is_held(send(client, post, "And a fourth"))  # Approving does not trust again.

    desk.post(QUEUE, {"decide": f"trust:{held.pk}"})  # Trust does.
    assert not is_held(send(client, post, "Trusted anew"))


def test_the_trusted_commenters_page_edits_trust_but_never_forgets_it(client, post, desk):
    send(client, post, "Hi")
    desk.post(QUEUE, {"decide": f"trust:{XtdComment.objects.get().pk}"})
    trust = CommenterTrust.objects.get()
    page = desk.get(f"{TRUSTED}{trust.pk}/change/").content.decode()
    assert "whose address is not public" in page
    desk.post(f"{TRUSTED}{trust.pk}/change/", {"scope": "withdrawn", "note": "Off topic, often"})
    trust.refresh_from_db()
    assert trust.scope == CommenterTrust.Scope.WITHDRAWN and not trust.browsers.exists()
    assert desk.post(f"{TRUSTED}{trust.pk}/delete/", {"post": "yes"}).status_code == 403
    added = desk.post(f"{TRUSTED}add/", {"email": "Friend@Example.COM", "scope": "any"})
    assert added.status_code == 302
    assert CommenterTrust.objects.filter(email="friend@example.com").exists()


def test_a_comment_from_no_known_browser_can_be_trusted_only_from_any(post, desk):
    imported = CommentFactory(post=post, is_public=False, email="old@example.com")
    response = desk.post(QUEUE, {"decide": f"trust:{imported.pk}"}, follow=True)
    assert "came from no browser we know" in response.content.decode()
    assert CommenterTrust.objects.get().browsers.count() == 0
    assert is_held(send(Client(), post, "Hello from somewhere", email="old@example.com"))


def test_an_address_marked_as_spam_is_never_trusted(client, post, desk, moderator):
    waiting = send(client, post, "Nice")
    desk.post(f"{QUEUE}{waiting.pk}/trust/", {"scope": "any"})
    services.comments_mark_spam(comments=[waiting], moderator=moderator)
    key = browser_key_of(client)
    assert not commenter_is_trusted(email="fern@example.com", browser_key=key)


def test_a_forgers_comment_marked_as_spam_costs_the_trusted_reader_nothing(
    client, post, desk, moderator
):
    services.comments_approve(comments=[send(client, post, "Hello")], moderator=moderator)
    forged = send(Client(), post, "Buy cheap watches", email="Fern@Example.com")
    assert is_held(forged)
    services.comments_mark_spam(comments=[forged], moderator=moderator)

    again = send(client, post, "Back from my own laptop")
    assert again.is_public, "her trusted browser is still trusted"
    assert not send(Client(), post, "Fern again, honest").is_public  # Another browser: not.
    # Spam from her own browser is hers: then her trust goes.
    services.comments_mark_spam(comments=[again], moderator=moderator)
    assert not commenter_is_trusted(email="fern@example.com", browser_key=browser_key_of(client))


def test_past_approvals_become_trusted_commenters(client, post, moderator):
    comment = send(client, post, "Approved before trust had a list")
    services.comments_approve(comments=[comment], moderator=moderator)
    CommenterTrust.objects.all().delete()  # As before the migration.
    migration = importlib.import_module("comments.migrations.0010_commenter_trust")
    migration.trust_approved_commenters(apps, None)
    assert TrustedBrowser.objects.get().trust.email == "fern@example.com"
    assert not is_held(send(client, post, "Still trusted after the upgrade"))
