"""Keyset ("cursor") pagination for streams of posts, newest first.

A page starts just past the post the previous page ended at, so it costs an index range
read, the same on the thousandth page as on the first: no COUNT, no OFFSET. A cursor names
that post by its UTC publication time and pk, e.g. ``20241023T090000Z-42`` (with
``.123456`` before the Z when the time has microseconds): readable, exact, URL-safe.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404

CURSOR = re.compile(r"(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)(?:\.(\d{6}))?Z-([1-9]\d{0,18})")
MAX_PK = 2**63 - 1  # The largest bigint: a larger pk would make PostgreSQL raise, not miss.
NEWEST_FIRST = ("-published_at", "-pk")
OLDEST_FIRST = ("published_at", "pk")


def encode_cursor(post):
    at = post.published_at.astimezone(dt.UTC)
    return f"{at:%Y%m%dT%H%M%S}{f'.{at:%f}' if at.microsecond else ''}Z-{post.pk}"


def decode_cursor(value):
    """The (published_at, pk) a cursor names; a malformed cursor is a page that is not here."""
    match = CURSOR.fullmatch(value)
    if match is None:
        raise Http404("Malformed page cursor.")
    *stamp, pk = (int(part or 0) for part in match.groups())
    try:
        at = dt.datetime(*stamp, tzinfo=dt.UTC)
    except ValueError as error:
        raise Http404("Malformed page cursor.") from error
    if pk > MAX_PK:
        raise Http404("Malformed page cursor.")
    return at, pk


# The inclusive bound lets the (status, published_at) index serve the range and the order;
# the Q only breaks exact ties in published_at.
def older_than(at, pk):
    return Q(published_at__lte=at) & (Q(published_at__lt=at) | Q(pk__lt=pk))


def newer_than(at, pk):
    return Q(published_at__gte=at) & (Q(published_at__gt=at) | Q(pk__gt=pk))


@dataclass(frozen=True)
class KeysetPage:
    posts: list
    newer_cursor: str | None  # ?after= this, when newer posts exist
    older_cursor: str | None  # ?before= this, when older posts exist

    @property
    def has_other_pages(self):
        return bool(self.newer_cursor or self.older_cursor)


class NewestPage(Exception):
    """An ``after`` cursor reached the newest posts: that page lives at the stream's own address."""


def keyset_page(queryset, params, per_page):
    """The page of `queryset` that the ``before`` or ``after`` cursor in `params` points at.

    One query of per_page + 1 rows: the extra row tells whether a further page exists.
    An ``after`` page that reaches the newest post raises NewestPage rather than be a short
    copy of the first page (or a 404 when a cursor is newer than every post).
    """
    before, after = params.get("before"), params.get("after")
    if before is not None and after is not None:
        raise Http404("A page has one cursor.")
    if after is None:
        if before is not None:
            queryset = queryset.within(older_than(*decode_cursor(before)))
        rows = list(queryset.order_by(*NEWEST_FIRST)[: per_page + 1])
        # Newer posts are assumed: if there are none, the Newer link lands on the first page.
        posts, has_newer, has_older = rows[:per_page], before is not None, len(rows) > per_page
    else:
        queryset = queryset.within(newer_than(*decode_cursor(after)))
        rows = list(queryset.order_by(*OLDEST_FIRST)[: per_page + 1])
        if len(rows) <= per_page:
            raise NewestPage
        posts, has_newer, has_older = rows[:per_page][::-1], True, True
    if not posts and before:
        raise Http404("No posts past this cursor.")
    return KeysetPage(
        posts=posts,
        newer_cursor=encode_cursor(posts[0]) if has_newer else None,
        older_cursor=encode_cursor(posts[-1]) if has_older else None,
    )
