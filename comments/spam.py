"""Shared-state spam defences, kept in django.core.cache so every app server sees them."""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache


def client_ip(request):
    return request.META.get("REMOTE_ADDR") or "unknown"


def rate_limit_exceeded(request):
    """Count this post against the sender's IP; True once the window's allowance is spent."""
    window = max(settings.QUIRE_COMMENTS_RATE_WINDOW, 1)
    key = f"comments:rate:{client_ip(request)}:{int(time.time()) // window}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # The key expired between add() and incr().
        cache.set(key, 1, timeout=window)
        count = 1
    return count > settings.QUIRE_COMMENTS_RATE_LIMIT


def form_already_used(security_hash, *contents):
    """Mark a signed form and its contents as sent; True if they were sent before (a replay).

    The hash alone is not unique: forms for one post made in the same second share it.
    """
    digest = hashlib.sha256("\x1f".join((security_hash, *contents)).encode()).hexdigest()
    key = f"comments:form-used:{digest}"
    return not cache.add(key, True, timeout=settings.COMMENTS_TIMEOUT + 60)
