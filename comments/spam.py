"""Shared-state spam defences, kept in django.core.cache so every app server sees them.

With the cache down they let comments through rather than refuse them: moderation still
holds what it would hold, and a reader is never turned away by an outage of ours.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What a cache that is down raises: Redis' own errors, the database cache's, sockets'.
CACHE_ERRORS = (RedisError, DatabaseError, OSError)
# The fields that make a sent form the same form: the signed hash, who, and what.
REPLAY_FIELDS = ("security_hash", "email", "name", "comment")


def client_ip(request):
    return request.META.get("REMOTE_ADDR") or "unknown"


def rate_limit_exceeded(request):
    """Count this post against the sender's IP; True once the window's allowance is spent."""
    window = max(settings.QUIRE_COMMENTS_RATE_WINDOW, 1)
    key = f"comments:rate:{client_ip(request)}:{int(time.time()) // window}"
    try:
        cache.add(key, 0, timeout=window)
        try:
            count = cache.incr(key)
        except ValueError:  # The key expired between add() and incr().
            cache.set(key, 1, timeout=window)
            count = 1
    except CACHE_ERRORS:
        logger.warning("Comment rate limit skipped: the cache is unavailable", exc_info=True)
        return False
    return count > settings.QUIRE_COMMENTS_RATE_LIMIT


def _form_key(data):
    # The hash alone is not unique: forms for one post made in the same second share it.
    sent = "\x1f".join(str(data.get(name, "")).strip() for name in REPLAY_FIELDS)
    return f"comments:form-used:{hashlib.sha256(sent.encode()).hexdigest()}"


def form_already_used(data):
    """Mark a sent form as used; True if it was used before (a replay).

    The mark is taken before the comment is saved, so two copies sent at once cannot both
    pass; form_release() gives it back when the save fails, so the reader's retry is taken.
    """
    try:
        return not cache.add(_form_key(data), True, timeout=settings.COMMENTS_TIMEOUT + 60)
    except CACHE_ERRORS:
        logger.warning("Comment replay check skipped: the cache is unavailable", exc_info=True)
        return False


def form_release(data):
    """The form was not stored after all: it may be sent again."""
    try:
        cache.delete(_form_key(data))
    except CACHE_ERRORS:
        logger.warning("Comment replay mark not released: the cache is unavailable", exc_info=True)
