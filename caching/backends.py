"""Django's cache backends, made fit for serving every page from them.

Redis: Django's RedisCacheClient builds a new redis.Redis object for every get and set (about
0.15 ms in a profile of a page hit, as much as the round trip itself). The client holds only
the connection pool, no data, so one per process changes nothing another server would see.

Files: a damaged file (a full disk, a crash mid-copy, a hand that edited it) is a miss and is
removed, where Django's backend raises whatever unpickling it raises, on every request.
"""

import logging
import pickle
import zlib

from django.core.cache.backends.filebased import FileBasedCache as DjangoFileBasedCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

logger = logging.getLogger(__name__)

# What reading a file that is not a pickle of ours can raise (the pickle module's own list).
UNREADABLE = (
    pickle.UnpicklingError, zlib.error, EOFError, ValueError, TypeError, AttributeError,
    ImportError, IndexError, KeyError,
)  # fmt: skip


class ReusedClient(RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        if id(pool) not in clients:
            clients[id(pool)] = self._client(connection_pool=pool)
        return clients[id(pool)]


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
