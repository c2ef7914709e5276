"""Nothing a reader was told was received is lost, and no retry is refused, whatever fails."""

import socket

import pytest
from django.db import DatabaseError

from comments.xtd import XtdComment
from tests.ports import closed_port

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


@pytest.fixture
def redis_down(settings):
    """The comment defences' cache is a Redis that nobody answers at."""
    redis = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
    settings.CACHES = {**settings.CACHES, "default": redis, "schedule": redis}


def test_with_the_cache_down_a_comment_still_goes_in(post, redis_down):
    from django.test import Client

    from comments import spam

    request_data = form_data(post, comment="Posted during an outage.")
    assert spam.form_already_used(request_data) is False  # Skipped, not refused.
    spam.form_release(request_data)

    response = Client().post("/comments/post/", request_data)
    assert response.status_code == 302
    assert XtdComment.objects.get().comment == "Posted during an outage."


@pytest.fixture
def redis_hangs(settings):
    """A Redis that takes the connection and never answers, as a stuck server does."""
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    accepted = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    timeout = {"socket_connect_timeout": 0.25, "socket_timeout": 0.25}
    location = f"redis://127.0.0.1:{listener.getsockname()[1]}/0"
    redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": location}
    settings.CACHES = {
        "default": {**redis, "OPTIONS": timeout},
        "pages": {**redis, "OPTIONS": timeout},
        "schedule": {**redis, "OPTIONS": timeout},
    }
    yield
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    listener.close()


def test_with_redis_hanging_pages_and_comments_answer_within_a_second(post, redis_hangs):
    import time

    from django.test import Client

    reader = Client()
    started = time.monotonic()
    assert reader.get(post.get_absolute_url()).status_code == 200
    response = reader.post("/comments/post/", form_data(post, comment="Sent while Redis hangs."))
    assert response.status_code == 302
    assert time.monotonic() - started < 5  # Each cache call gives up after 0.25 s.
    assert XtdComment.objects.get().comment == "Sent while Redis hangs."


def test_with_the_database_gone_a_comment_comes_back_on_a_page_that_needs_none(
    client, post, monkeypatch
):
    from django.db import OperationalError

    from comments import views

    data = form_data(post, comment="Words I would hate to lose")

    def unreachable(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1 port 5432 failed")

    monkeypatch.setattr(views, "public_target", unreachable)
    response = client.post("/comments/post/", data)
    assert response.status_code == 503
    content = response.content.decode()
    assert "Your comment was not posted" in content
    assert "Words I would hate to lose</textarea>" in content
