"""The poster's session remembers their comments, so they alone see the ones still waiting."""

import contextvars

from django.conf import settings

OWN_COMMENTS_SESSION_KEY = "comments_own"
MAX_OWN_COMMENTS = 20


def own_comment_ids(request):
    """Comments posted from this browser; no session cookie, no query."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return []
    return request.session.get(OWN_COMMENTS_SESSION_KEY, [])


def remember_own_comment(request, comment):
    """Called as the comment is saved: the poster's session, not their IP, makes it theirs."""
    own = request.session.get(OWN_COMMENTS_SESSION_KEY, [])
    request.session[OWN_COMMENTS_SESSION_KEY] = [*own, comment.pk][-MAX_OWN_COMMENTS:]


# The comments the posting browser sent before, where the request cannot reach: the library
# builds the comment form itself (comments.views sets this around its view).
posters_own_comments = contextvars.ContextVar("posters_own_comments", default=())
