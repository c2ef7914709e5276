"""The Redis cache keeps one client a process: Django's builds one per call, which a hit feels."""

from caching.backends import RedisCache


def test_one_client_serves_every_call():
    cache = RedisCache("redis://127.0.0.1:1/0", {})  # Never connected: building clients only.
    first = cache._cache.get_client("a")
    assert cache._cache.get_client("b") is first
    assert cache._cache.get_client("c", write=True) is first  # One server: one pool.
