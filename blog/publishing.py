"""Publication as an event: `post_published` is sent once per post, when it becomes public.

A post published now is announced as its save commits. A scheduled post becomes public when
its time comes, with no write at all: the first request after that time announces it
(PublicationMiddleware), so no cron is needed. Several app servers may race for that request;
a conditional UPDATE lets exactly one of them announce each post.

The public stream changes by the clock alone only at `next_due_at()`, which is kept in the
"schedule" cache (every server shares it; on SQLite, files beside the database) under a version
that every write to posts replaces (`schedule_changed`): a reader that computed the time from a
database read older than the write stores it under the old version, where nobody looks again.
"""

import datetime as dt
import logging
import threading
import time
import uuid

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import InvalidCacheBackendError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone, translation
from redis.exceptions import RedisError

from .models import Post

logger = logging.getLogger(__name__)

# A cache that cannot be reached: every request still serves, from the database.
CACHE_UNAVAILABLE = (InvalidCacheBackendError, OSError, RedisError)

# Sent once per post, after the commit that made it public or on the first request after its
# scheduled time. Arguments: post. Subscribers, webmentions and the fediverse hang here.
post_published = Signal()
# Sent after any commit that may change what a public page shows, and when the clock makes a
# post public. The page cache listens; so may anything else that copies public pages.
public_pages_changed = Signal()

VERSION_KEY = "blog:schedule:version"
NEXT_DUE_KEY = "blog:schedule:next-due"
# A safety net only: every write to posts already bumps the version.
NEXT_DUE_TIMEOUT = 60 * 60
NOTHING_DUE = "nothing"


def _schedule_cache():
    return caches["schedule"]


def _new_version():
    """Random, never a count: a version lost (a cleared cache) and made again cannot match a
    due time stored under its namesake, and two writers replacing it at once both move it on."""
    return uuid.uuid4().hex


def _replace_version():
    """Raises what the schedule's cache raises when it cannot take the new version."""
    _schedule_cache().set(VERSION_KEY, _new_version(), timeout=None)


def _bump_version():
    try:
        _replace_version()
    except CACHE_UNAVAILABLE:
        logger.error(
            "Could not replace the publication schedule's version; it is owed, and tried "
            "again until the schedule's cache takes it",
            exc_info=True,
        )
        owed.add(schedule=True)


def _send_pages_changed(sender):
    """Tell every copy of the public pages; a cache that cannot take it is owed the news."""
    for receiver, error in _tell_page_copies(sender):
        logger.error(
            "Could not invalidate the pages kept by %r; owed, and tried again until it can",
            receiver,
            exc_info=error,
        )
        owed.add(pages=True)


def _tell_page_copies(sender):
    """Send public_pages_changed; the (receiver, error) of each cache that could not take it.
    Other failures are logged: they are bugs, which trying again would not mend."""
    unavailable = []
    for receiver, error in public_pages_changed.send_robust(sender=sender):
        if isinstance(error, CACHE_UNAVAILABLE):
            unavailable.append((receiver, error))
        elif isinstance(error, Exception):
            logger.error("public_pages_changed receiver %r failed", receiver, exc_info=error)
    return unavailable


class OwedInvalidations:
    """What this process's commits owed the caches and a cache could not take (it was down, or
    hung). Until it has taken it, nothing it kept is trusted here (`caches_are_current`), and a
    thread tries again every RETRY_SECONDS: the caches come back current as soon as they
    come back, whether this process serves another request or not.
    """

    RETRY_SECONDS = 0.5

    def __init__(self):
        self.lock = threading.Lock()
        self.schedule = self.pages = self.retrying = False

    def add(self, *, schedule=False, pages=False):
        with self.lock:
            self.schedule |= schedule
            self.pages |= pages
            if not self.retrying:
                self.retrying = True
                threading.Thread(target=self._retry, name="owed-invalidations", daemon=True).start()

    def settle(self, *, blocking=True):
        """Try what is owed again; True when nothing is owed (any more)."""
        if not (self.schedule or self.pages):
            return True
        if not self.lock.acquire(blocking=blocking):
            return False  # Another thread is trying: until it is done, owed still.
        try:
            return self._settle()
        finally:
            self.lock.release()

    def clear(self):
        """Forget every debt: for a cache configuration replaced whole (tests)."""
        with self.lock:
            self.schedule = self.pages = False

    def _settle(self):
        if not (self.schedule or self.pages):
            return True
        if self.schedule:
            try:
                _replace_version()
            except CACHE_UNAVAILABLE:
                return False
            self.schedule = False
        if self.pages:
            if _tell_page_copies(sender=None):
                return False
            self.pages = False
        logger.warning("The caches took the invalidations they were owed")
        return True

    def _retry(self):
        while True:
            time.sleep(self.RETRY_SECONDS)
            with self.lock:
                try:
                    settled = self._settle()
                except Exception:  # A thread that dies would leave the debt unpaid.
                    logger.exception("Paying the invalidations owed failed; trying again")
                    continue
                if settled:
                    self.retrying = False
                    return


owed = OwedInvalidations()


def caches_are_current():
    """False while this process owes a cache an invalidation: what it kept may be out of date,
    so read the database instead. Cheap when nothing is owed, as is nearly always the case."""
    return owed.settle(blocking=False)


class _Batch:
    """The work one commit owes the public pages, however many rows it wrote: one signal."""

    def __init__(self):
        self.schedule = False
        self.done = False

    def run(self):
        if self.done:
            return
        self.done = True
        try:
            if self.schedule:
                _bump_version()
                publish_due_posts(send_pages_changed=False)
        finally:  # Whatever failed above, the pages this commit changed must not stay stored.
            _send_pages_changed(sender=Post if self.schedule else None)


class _AfterCommit:
    def __init__(self, batch):
        self.batch = batch

    def __call__(self):
        self.batch.run()


def pages_changed(*, schedule=False):
    """Call inside a write that changes public pages: the signal goes out once it commits.

    One saved post with labels writes many rows; they share one batch, so one signal (and one
    CDN purge) per commit: the first of its callbacks to run does the work. A callback still in
    Django's list is safe to share with: a savepoint rolled back has taken its callbacks out.
    """
    waiting = (
        callback.batch
        for _savepoints, callback, _robust in transaction.get_connection().run_on_commit
        if isinstance(callback, _AfterCommit) and not callback.batch.done
    )
    batch = next(waiting, None) or _Batch()
    batch.schedule |= schedule
    transaction.on_commit(_AfterCommit(batch), robust=True)


def schedule_changed():
    """After a commit that wrote posts: forget the cached due time, announce what is due."""
    batch = _Batch()
    batch.schedule = True
    batch.run()


def _next_due_from_database():
    """The earliest time a post waits for: unannounced (perhaps due already) or scheduled."""
    published = Post.objects.filter(status=Post.Status.PUBLISHED).order_by("published_at")
    times = published.values_list("published_at", flat=True)
    unannounced = times.filter(announced_at__isnull=True)[:1]
    scheduled = times.filter(published_at__gt=timezone.now())[:1]
    return min([*unannounced, *scheduled], default=None)


def next_due_at():
    """When the public stream next changes by the clock alone, or None.

    One cache round trip on most requests; the database only after a write or a due time.
    """
    if not caches_are_current():
        return _next_due_from_database()
    try:
        return _next_due_at_cached()
    except CACHE_UNAVAILABLE:
        logger.warning("Cache unavailable; the due time is read from the database", exc_info=True)
        return _next_due_from_database()


def _next_due_at_cached():
    cache = _schedule_cache()
    found = cache.get_many([VERSION_KEY, NEXT_DUE_KEY])
    version, stored = _current_version(found), found.get(NEXT_DUE_KEY)
    if stored is not None and stored[0] == version:
        due = stored[1]
    else:
        due = _next_due_from_database()
        due = due.timestamp() if due else NOTHING_DUE
        cache.set(NEXT_DUE_KEY, (version, due), timeout=NEXT_DUE_TIMEOUT)
    return None if due == NOTHING_DUE else dt.datetime.fromtimestamp(due, dt.UTC)


def _current_version(found):
    version = found.get(VERSION_KEY)
    if version is None:
        cache = _schedule_cache()
        cache.add(VERSION_KEY, _new_version(), timeout=None)
        # A store that kept nothing: a version of this request's own, which nothing matches.
        version = cache.get(VERSION_KEY) or _new_version()
    return version


def cached_until_posts_change(key, compute):
    """compute(), a read of public posts, kept until a post is written or the clock publishes one.

    Under the schedule version, as next_due_at() is: the version is read before the database,
    so a value computed from a read older than a write is stored where nobody looks again.
    Under this server's time zone and language too, which shape what is computed (months,
    their names); a release replaces the version (`forget_cached_reads`), for its code.
    """
    key = f"{key}:{settings.TIME_ZONE}:{translation.get_language()}"
    if not caches_are_current():
        return compute()
    try:
        cache = _schedule_cache()
        found = cache.get_many([VERSION_KEY, key])
        version, stored = _current_version(found), found.get(key)
    except CACHE_UNAVAILABLE:
        logger.warning("Cache unavailable; %s is read from the database", key, exc_info=True)
        return compute()
    if stored is not None and stored[0] == version:
        return stored[1]
    value = compute()
    try:
        cache.set(key, (version, value), timeout=NEXT_DUE_TIMEOUT)
    except CACHE_UNAVAILABLE:
        logger.warning("Cache unavailable; %s is not kept", key, exc_info=True)
    return value


def forget_cached_reads():
    """Every value cached_until_posts_change kept is computed again: after a release (migrate),
    whose code may compute them otherwise."""
    _bump_version()


def published_elsewhere(post):
    """A post made public by an import: it was announced on the old blog, so it is not here.

    Call in the writer's transaction, after the save: the announcement that the commit would
    send then finds the post announced already. A post still scheduled is left to the clock.
    """
    if not post.is_published:
        return
    Post.objects.filter(pk=post.pk, announced_at__isnull=True).update(
        announced_at=post.published_at
    )


def page_changes_at(request, moment):
    """Say that the page being rendered changes by the clock alone at `moment` (comments that
    close with age, say): a stored copy of it is kept no longer. Nothing to do for None."""
    if request is None or moment is None:
        return
    earlier = getattr(request, "page_changes_at", None)
    request.page_changes_at = moment if earlier is None else min(earlier, moment)


def is_due(now=None):
    due = next_due_at()
    return due is not None and due <= (now or timezone.now())


def publish_due_posts(*, send_pages_changed=True):
    """Announce every post whose time has come and that has not been announced: once each.

    Called when a due time has passed, so the cached due time moves on even when the post
    that was due had been announced before (a published post moved to a later date).
    """
    now = timezone.now()
    due = Post.objects.published().filter(announced_at__isnull=True).order_by("published_at", "pk")
    announced = []
    for post in due.select_related("author"):
        # Whoever updates the row first announces the post; a racing server updates nothing.
        if Post.objects.filter(pk=post.pk, announced_at__isnull=True).update(announced_at=now):
            post.announced_at = now
            announced.append(post)
    _bump_version()
    next_due_at()  # Stored now, under the new version, rather than by the next request.
    if announced and send_pages_changed:
        _send_pages_changed(sender=Post)
    for post in announced:
        for receiver, error in post_published.send_robust(sender=Post, post=post):
            if isinstance(error, Exception):
                logger.error(
                    "post_published receiver %r failed for post %s",
                    receiver,
                    post.pk,
                    exc_info=error,
                )
    return announced
