"""A cache server that is down costs speed, never the page."""

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
