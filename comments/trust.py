"""Trust belongs to the browser a moderator's approval reached, not to an address anyone types.

A commenter's browser carries a random key in a signed, long-lived cookie; each comment keeps a
digest of the key it came with (CommentOrigin). A later comment skips the queue only when it
comes with the same email *and* the same key as a comment a moderator approved, so copying a
trusted reader's address gets a spammer nothing. The cookie makes no page personal: the page
cache ignores it.
"""

import hashlib
import secrets

from django.conf import settings

COOKIE_NAME = "quire_commenter"
COOKIE_MAX_AGE = 2 * 365 * 24 * 60 * 60
SALT = "comments.trust.browser"


def browser_key(request):
    """This browser's key: the one it is being given now, or the one its cookie proves."""
    key = getattr(request, "commenter_key", None)
    if key:
        return key
    return request.get_signed_cookie(COOKIE_NAME, default=None, salt=SALT) or None


def browser_key_give(request):
    """Before a comment is taken: the browser keeps its key, or gets one with the response."""
    request.commenter_key = browser_key(request) or secrets.token_urlsafe(24)
    return request.commenter_key


def browser_key_remember(request, response):
    """The key goes back as a signed cookie, refreshed so a regular commenter keeps it."""
    key = getattr(request, "commenter_key", None)
    if key:
        response.set_signed_cookie(
            COOKIE_NAME,
            key,
            salt=SALT,
            max_age=COOKIE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


def key_digest(key):
    return hashlib.sha256(key.encode()).hexdigest()
