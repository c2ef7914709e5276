"""Nothing a reader was told was received is lost, and no retry is refused, whatever fails."""

import socket

import pytest
from django.db import DatabaseError

from comments.xtd import XtdComment

from .conftest import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def failing_saves(monkeypatch):
    """The database refuses the next `count` comment saves, as during a failover."""
    original = XtdComment.save
    remaining = {"count": 0}

    def save(self, *args, **kwargs):
        if remaining["count"]:
            remaining["count"] -= 1
            raise DatabaseError("the database went away")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(XtdComment, "save", save)
    return remaining


def test_a_failed_save_gives_the_text_back_and_the_retry_is_taken(client, post, failing_saves):
    failing_saves["count"] = 1
    data = form_data(post, comment="Written once, sent twice.")

    response = client.post("/comments/post/", data)
    content = response.content.decode()
    assert response.status_code == 503
    assert "has not been posted yet" in content
    assert "Written once, sent twice.</textarea>" in content
    assert not XtdComment.objects.exists()

    retry = client.post("/comments/post/", data)
    assert retry.status_code == 302
    assert XtdComment.objects.get().comment == "Written once, sent twice."
    # Once stored, the same form is a replay.
    again = client.post("/comments/post/", data)
    assert "already been sent" in again.content.decode()
    assert XtdComment.objects.count() == 1


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_down(settings):
    """The comment defences' cache is a Redis that nobody answers at."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    }


def test_with_the_cache_down_a_comment_still_goes_in(post, redis_down):
    from django.test import Client

    from comments import spam

    request_data = form_data(post, comment="Posted during an outage.")
    assert spam.form_already_used(request_data) is False  # Skipped, not refused.
    spam.form_release(request_data)

    response = Client().post("/comments/post/", request_data)
    assert response.status_code == 302
    assert XtdComment.objects.get().comment == "Posted during an outage."
