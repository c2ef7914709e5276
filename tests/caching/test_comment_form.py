"""A post page served from the cache hours after it was stored still takes a reader's comment,
and still stops a bot: the form's fresh parts come from an uncached request of the reader's."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client

from comments.forms import text_field_name
from comments.xtd import XtdComment
from tests.factories import PostFactory

LATER = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=2)
READER = {"name": "Ada", "email": "ada@example.com", "url": "", text_field_name(): "Hours later.",
          "comment": "", "honeypot": "", "reply_to": "0"}  # fmt: skip


@pytest.fixture
def post(db):
    return PostFactory(title="Cached for hours")


def fields_url(page):
    return re.search(rb'data-fresh-fields="([^"]+)"', page).group(1).decode()


@pytest.mark.parametrize(
    "bot", [None, "honeypot", "text_in_comment", "too_fast", "replayed", "stale"]
)
def test_a_page_cached_three_hours_ago_takes_comments_and_stops_bots(wsgi, post, settings, bot):
    settings.QUIRE_COMMENTS_MIN_FILL_SECONDS = 3
    reader = Client(enforce_csrf_checks=True)
    with time_machine.travel(LATER, tick=False) as clock:
        stored = wsgi.get(post.get_absolute_url())
        assert not stored.is_hit
        clock.shift(dt.timedelta(hours=3))
        served = wsgi.get(post.get_absolute_url())
        assert served.is_hit and served.body == stored.body  # Three hours old, from the cache.

        renewed = reader.get(fields_url(served.body)).json()  # The reader starts writing.
        data = {**READER, **renewed["fields"]}
        clock.shift(dt.timedelta(seconds=1 if bot == "too_fast" else 45))
        if bot == "stale":
            clock.shift(dt.timedelta(seconds=settings.COMMENTS_TIMEOUT))
        if bot == "honeypot":
            data["honeypot"] = "https://spam.example/"
        if bot == "text_in_comment":  # Where bots put their text: the usual name is a honeypot.
            data["comment"] = "Great post! https://spam.example/"
        response = reader.post(renewed["action"], data)
        if bot == "replayed":
            assert response.status_code == 302
            response = reader.post(renewed["action"], data)
            assert "already been sent" in response.content.decode()

    expected = 1 if bot in (None, "replayed") else 0
    assert XtdComment.objects.count() == expected
    if bot is None:
        assert response.status_code == 302
    elif bot in ("honeypot", "text_in_comment", "stale"):
        assert response.status_code == 400
    elif bot == "too_fast":
        assert "That was quick!" in response.content.decode()
