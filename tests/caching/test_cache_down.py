"""A cache server that is down costs speed, never the page."""

import pickle

import pytest
from django.core.cache import caches

from tests.factories import PostFactory
from tests.ports import closed_port


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
