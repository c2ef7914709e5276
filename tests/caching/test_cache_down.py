"""A cache server that is down costs speed, never the page."""

import datetime as dt
import pickle
import threading
import time
import uuid
from types import SimpleNamespace

import pytest
import time_machine
from django.core.cache import caches
from django.utils import timezone

from caching import pages
from tests.factories import PostFactory
from tests.ports import closed_port, listening_socket


@pytest.fixture
def redis_down(settings, page_cache):
    url = f"redis://127.0.0.1:{closed_port()}/5"
    redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    return settings, redis


@pytest.mark.parametrize(
    "which", [("pages",), ("default", "schedule"), ("pages", "default", "schedule")]
)
def test_pages_serve_with_redis_unreachable(wsgi, redis_down, which, caplog):
    settings, redis = redis_down
    post = PostFactory(title="Still here", allow_comments=False)
    settings.CACHES = {**settings.CACHES, **dict.fromkeys(which, redis)}
    with pytest.raises(Exception, match="Connection refused|Error"):
        caches[which[0]].get("probe")  # The cache really is down.

    for path in ("/", post.get_absolute_url(), "/feed/", "/sitemap.xml", "/archive/"):
        first, again = wsgi.get(path), wsgi.get(path)
        assert first.status == again.status == 200, path
        assert not again.is_hit  # Pages, or the generation in the default cache: unreachable.
    assert "Still here" in wsgi.get("/").text


def test_a_write_with_redis_unreachable_still_commits(
    wsgi, redis_down, django_capture_on_commit_callbacks
):
    settings, redis = redis_down
    post = PostFactory(title="Before", allow_comments=False)
    settings.CACHES = {"default": redis, "pages": redis, "schedule": redis}
    with django_capture_on_commit_callbacks(execute=True):
        post.title = "After"
        post.save()
    assert "After" in wsgi.get("/").text


def test_damaged_cache_files_are_misses_and_go_never_a_server_error(wsgi, settings, tmp_path):
    """A crash mid-write or a full disk leaves a file that is no pickle: the page is rendered
    again, the file replaced, for the pages and for the publication schedule alike."""
    files = "caching.backends.FileBasedCache"
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": files, "LOCATION": str(tmp_path / "pages")},
        "schedule": {"BACKEND": files, "LOCATION": str(tmp_path / "schedule"), "TIMEOUT": None},
    }
    post = PostFactory(title="Still readable", tags=["Walks"], allow_comments=False)
    assert "Still readable" in wsgi.get("/").text
    paths = ("/", post.get_absolute_url(), "/tag/walks/", "/archive/", "/feed/")
    for path in paths:
        wsgi.get(path)
    damaged = [*(tmp_path / "pages").glob("*.djcache"), *(tmp_path / "schedule").glob("*.djcache")]
    assert len(damaged) > len(paths)
    for number, path in enumerate(damaged):
        # Garbage, a valid expiry before garbage, and a file cut short.
        path.write_bytes([b"garbage", pickle.dumps(None) + b"\x78junk", b"\x80"][number % 3])

    for path in paths:
        first, again = wsgi.get(path), wsgi.get(path)
        assert first.status == again.status == 200, path
        assert first.body == wsgi.fresh(path).body, path
        assert again.is_hit, f"{path}: the damaged file was replaced by a good one"


def _redis(location, prefix):
    return {
        "BACKEND": "caching.backends.RedisCache",
        "LOCATION": location,
        "KEY_PREFIX": prefix,
        "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
    }


@pytest.fixture
def redis_that_fails(settings, page_cache):
    """Switches every cache between a real Redis and one that is down, keys and all the same:
    a Redis that goes away and comes back with what it held."""
    from tests.caching.test_processes import REDIS_URL, redis_is_reachable

    if not redis_is_reachable():
        pytest.skip("Redis is not reachable at 127.0.0.1:6379 (CI runs it)")
    prefix = f"outage-{uuid.uuid4().hex}"
    up = _redis(REDIS_URL, prefix)
    down = _redis(f"redis://127.0.0.1:{closed_port()}/5", prefix)
    settings.QUIRE_PAGE_CACHE_GENERATION_IN = "pages"

    def use(cache):
        settings.CACHES = {
            **settings.CACHES,
            **dict.fromkeys(("default", "pages", "schedule"), cache),
        }

    use(up)
    return SimpleNamespace(up=lambda: use(up), down=lambda: use(down))


def test_a_change_made_while_redis_was_down_shows_once_it_is_back(
    wsgi, redis_that_fails, django_capture_on_commit_callbacks
):
    post = PostFactory(title="Before the outage", allow_comments=False)
    url = post.get_absolute_url()
    wsgi.get(url)
    assert wsgi.get(url).is_hit
    before = caches["pages"].get(pages.GENERATION_KEY)

    redis_that_fails.down()
    with django_capture_on_commit_callbacks(execute=True):
        post.title = "Edited during the outage"
        post.save()  # Commits; the new generation cannot be stored.
    redis_that_fails.up()  # Back, with the old generation and the old pages.

    # No request needed: the invalidation owed is paid by itself, so every other server, which
    # never saw the outage, stops serving the old page too.
    deadline = time.monotonic() + 5
    while caches["pages"].get(pages.GENERATION_KEY) == before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert caches["pages"].get(pages.GENERATION_KEY) != before
    served = wsgi.get(url)
    assert "Edited during the outage" in served.text and not served.is_hit
    assert "Edited during the outage" in wsgi.get("/").text


def test_a_post_scheduled_while_redis_was_down_appears_at_its_time(
    wsgi, redis_that_fails, django_capture_on_commit_callbacks
):
    from blog import publishing

    assert publishing.next_due_at() is None  # Kept in Redis: nothing is due.
    redis_that_fails.down()
    due = timezone.now() + dt.timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        PostFactory(title="Scheduled in the outage", published_at=due)
    redis_that_fails.up()

    assert publishing.next_due_at() == due.replace(microsecond=due.microsecond)
    with time_machine.travel(due + dt.timedelta(seconds=1), tick=False):
        assert "Scheduled in the outage" in wsgi.get("/").text


def test_a_redis_that_hangs_is_waited_for_once_not_on_every_call(wsgi, settings, page_cache):
    """It accepts connections and never answers: each call would wait for its timeout."""
    listener = listening_socket()
    accepted = []

    def accept_and_say_nothing():
        while True:
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept_and_say_nothing, daemon=True).start()
    settings.QUIRE_REDIS_RETRY_SECONDS = 60
    hanging = _redis(f"redis://127.0.0.1:{listener.getsockname()[1]}/5", "hangs")
    settings.CACHES = {
        **settings.CACHES,
        **dict.fromkeys(("default", "pages", "schedule"), hanging),
    }
    post = PostFactory(title="Served all the same", allow_comments=False)
    try:
        for path in ("/", post.get_absolute_url(), "/", "/feed/"):
            served = wsgi.get(path)
            assert served.status == 200 and not served.is_hit
        assert "Served all the same" in served.text
        assert len(accepted) == 1, "the one call that timed out; the others did not try"
    finally:
        listener.close()
        for connection in accepted:
            connection.close()
