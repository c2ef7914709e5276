"""The bench posts comments through the form it finds in the page, as a reader's browser does."""

import pytest
from django.test import Client

from bench.load import comment_form, filled, renewed
from comments.forms import text_field_name
from comments.services import comment_create
from comments.xtd import XtdComment
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_waiting(settings):
    settings.QUIRE_COMMENTS_MIN_FILL_SECONDS = 0


def test_the_form_is_found_filled_and_accepted_from_the_reply_page():
    post = PostFactory()
    root = comment_create(post=post, name="Ada", email="ada@example.com", text="First")
    client = Client(enforce_csrf_checks=True)

    action, fields, fresh_url = comment_form(
        client.get(f"/comments/reply/{root.pk}/").content.decode()
    )
    assert fresh_url is None  # A fresh page: its form is complete.
    data = filled(fields, "A reply from the bench.")

    assert data["honeypot"] == "" and data["comment"] == ""  # The honeypots, left empty.
    assert data[text_field_name()] == "A reply from the bench."
    assert data["security_hash"] and data["csrfmiddlewaretoken"]
    assert client.post(action, data).status_code == 302
    assert XtdComment.objects.filter(comment="A reply from the bench.", parent_id=root.pk).exists()


def test_a_cached_post_pages_form_is_renewed_as_its_script_does():
    post = PostFactory()
    client = Client(enforce_csrf_checks=True)

    action, fields, fresh_url = comment_form(client.get(post.get_absolute_url()).content.decode())
    assert fresh_url == f"/comments/fields/{post.pk}/"
    fresh = client.get(fresh_url).json()
    data = filled(renewed(fields, fresh), "A comment from the bench.")

    assert data["security_hash"] and data["csrfmiddlewaretoken"]
    assert client.post(fresh["action"], data).status_code == 302
    assert XtdComment.objects.filter(comment="A comment from the bench.").exists()


def test_a_page_without_a_comment_form_has_none():
    assert comment_form('<form class="search" action="/search/"><input name="q"></form>') is None
