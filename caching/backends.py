"""Django's cache backends, made fit for serving every page from them.

Redis: Django's RedisCacheClient builds a new redis.Redis object for every get and set (about
0.15 ms in a profile of a page hit, as much as the round trip itself). The client holds only
the connection pool, no data, so one per process changes nothing another server would see.

A Redis that fails (refuses, or hangs until the socket timeout) is not tried again for
QUIRE_REDIS_RETRY_SECONDS: meanwhile every call fails at once, and callers fall back as they do
for any failure. Without that, a hanging Redis cost every request one timeout per cache call.

Files: a damaged file (a full disk, a crash mid-copy, a hand that edited it) is a miss and is
removed, where Django's backend raises whatever unpickling it raises, on every request.
"""

import logging
import pickle
import time
import zlib

from django.conf import settings
from django.core.cache.backends.filebased import FileBasedCache as DjangoFileBasedCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# What reading a file that is not a pickle of ours can raise (the pickle module's own list).
UNREADABLE = (
    pickle.UnpicklingError, zlib.error, EOFError, ValueError, TypeError, AttributeError,
    ImportError, IndexError, KeyError,
)  # fmt: skip


# The calls RedisCache makes of its client: each goes through ReusedClient._guarded.
CLIENT_CALLS = ("add", "get", "set", "touch", "delete", "get_many", "has_key", "incr",
                "set_many", "delete_many", "clear")  # fmt: skip
# Servers (by their locations) that failed, and when each may be tried again: this process's.
unreachable_until = {}


class ReusedClient(RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        if id(pool) not in clients:
            clients[id(pool)] = self._client(connection_pool=pool)
        return clients[id(pool)]

    def _guarded(self, call, *args, **kwargs):
        servers = tuple(self._servers)
        retry_at = unreachable_until.get(servers)
        if retry_at is not None and time.monotonic() < retry_at:
            raise RedisConnectionError(f"Redis at {servers[0]} failed moments ago; not tried yet")
        try:
            return call(self, *args, **kwargs)
        except (RedisConnectionError, RedisTimeoutError):
            unreachable_until[servers] = time.monotonic() + settings.QUIRE_REDIS_RETRY_SECONDS
            raise


def _guarded_call(name):
    call = getattr(RedisCacheClient, name)

    def guarded(self, *args, **kwargs):
        return self._guarded(call, *args, **kwargs)

    guarded.__name__ = name
    return guarded


for _name in CLIENT_CALLS:
    setattr(ReusedClient, _name, _guarded_call(_name))


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClient


class FileBasedCache(DjangoFileBasedCache):
    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except UNREADABLE:
            self._forget_damaged(self._key_to_file(key, version))
            return default

    def _is_expired(self, f):
        try:
            return super()._is_expired(f)
        except UNREADABLE:
            f.close()
            self._forget_damaged(f.name)
            return True

    def _forget_damaged(self, path):
        logger.warning("Removed the damaged cache file %s", path)
        self._delete(path)
