"""Writes that keep comments and posts in step: counts, moderation decisions, notifications."""

import datetime
import logging
from collections import Counter, defaultdict

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Max
from django.utils import timezone

from blog.models import Post
from blog.publishing import pages_changed

from . import bayes, bulk
from .models import (
    SPAM_RULES,
    BotCount,
    CommenterTrust,
    CommentHTML,
    CommentOrigin,
    HoldReason,
    TrustedBrowser,
)
from .rendering import comment_text
from .selectors import SPAM_FLAG, comment_is_public, commentable_model, public_comments
from .xtd import (
    CommentFlag,
    XtdComment,
    max_thread_level_for_content_type,
    notify_comment_followers,
)

logger = logging.getLogger(__name__)


def comment_create(
    *,
    post,
    name,
    email,
    text,
    url="",
    parent=None,
    is_public=True,
    is_removed=False,
    submit_date=None,
    ip_address=None,
    followup=False,
):
    """Save a comment as the library saves a posted one: XtdComment.save() threads replies.

    `post` is what the comment is on: a Post or a Page.
    """
    comment = XtdComment(
        content_type=ContentType.objects.get_for_model(post),
        object_pk=str(post.pk),
        site_id=settings.SITE_ID,
        parent_id=parent.pk if parent else 0,
        user_name=name,
        user_email=email,
        user_url=url,
        comment=text,
        submit_date=submit_date,  # None: the library's save() stamps now.
        ip_address=ip_address,
        is_public=is_public,
        is_removed=is_removed,
        followup=followup,
    )
    # No recount here: comments.signals.comment_changed recounts after every single save.
    comment.save()
    return comment


# Rows per statement: below SQLite's limit on bound parameters, whatever its build.
BULK_BATCH_SIZE = 500


@transaction.atomic
def comments_create_many(*, comments, batch_size=BULK_BATCH_SIZE):
    """Insert comments in bulk, each as comment_create would have saved it; counts kept true.

    `comments` are mappings of comment_create's keyword arguments. Parents must be saved
    already (make the roots in one call, their replies in the next). A reply goes to the end
    of its thread: where the library puts it too when its parent's branch ends the thread.
    For the benchmark and importers; no signal is sent per comment, so nobody is notified.
    """
    now = timezone.now()
    specs = list(comments)
    last_order = _last_order_in_threads(
        {spec["parent"].thread_id for spec in specs if spec.get("parent")}
    )
    rows = []
    for spec in specs:
        parent = spec.get("parent")
        content_type = ContentType.objects.get_for_model(spec["post"])  # A Post or a Page.
        row = XtdComment(
            content_type=content_type,
            object_pk=str(spec["post"].pk),
            site_id=settings.SITE_ID,
            user_name=spec["name"],
            user_email=spec["email"],
            user_url=spec.get("url", ""),
            comment=spec["text"],
            submit_date=spec.get("submit_date") or now,
            ip_address=spec.get("ip_address"),
            is_public=spec.get("is_public", True),
            is_removed=spec.get("is_removed", False),
            followup=spec.get("followup", False),
        )
        if parent:
            if parent.level >= max_thread_level_for_content_type(content_type):
                raise ValueError(f"Comment {parent.pk} is as deep as a thread may go.")
            last_order[parent.thread_id] += 1
            row.parent_id, row.thread_id = parent.pk, parent.thread_id
            row.level, row.order = parent.level + 1, last_order[parent.thread_id]
        rows.append(row)
    bulk.insert_comments(rows, batch_size)
    # What the post_save receiver stores for one comment, so no page renders it per request;
    # made once per distinct text (imports and the bench repeat many).
    html_field = CommentHTML._meta.get_field("html")
    html_of = {
        text: html_field.get_db_prep_save(comment_text(text), connection)
        for text in {row.comment for row in rows}
    }
    bulk.insert_rows(
        CommentHTML,
        [CommentHTML._meta.pk, html_field],
        [(row.pk, html_of[row.comment]) for row in rows],
        batch_size,
    )
    _count_replies_in_ancestors([spec["parent"] for spec in specs if spec.get("parent")])
    for model, pks in _affected_targets(rows).items():
        pks = sorted(pks)
        for first in range(0, len(pks), batch_size):
            posts_refresh_comment_counts(post_ids=pks[first : first + batch_size], model=model)
    return rows


def _count_replies_in_ancestors(parents):
    """XtdComment.save() adds one to the nested_count of every ancestor of a new reply."""
    parent_of = {parent.pk: parent.parent_id for parent in parents}
    added = Counter()
    for parent in parents:
        pk = parent.pk
        while True:
            added[pk] += 1
            if pk not in parent_of:
                parent_of.update(
                    XtdComment.norel_objects.filter(pk=pk).values_list("pk", "parent_id")
                )
            if parent_of[pk] == pk:  # A root is its own parent.
                break
            pk = parent_of[pk]
    by_increment = defaultdict(list)
    for pk, increment in added.items():
        by_increment[increment].append(pk)
    for increment, pks in by_increment.items():
        for first in range(0, len(pks), BULK_BATCH_SIZE):
            XtdComment.norel_objects.filter(pk__in=pks[first : first + BULK_BATCH_SIZE]).update(
                nested_count=F("nested_count") + increment
            )


def _last_order_in_threads(thread_ids):
    """The highest `order` in each thread: where a reply appended to it goes next."""
    thread_ids = sorted(thread_ids)
    last = {}
    for first in range(0, len(thread_ids), BULK_BATCH_SIZE):
        last.update(
            XtdComment.norel_objects.filter(
                thread_id__in=thread_ids[first : first + BULK_BATCH_SIZE]
            )
            .order_by()
            .values_list("thread_id")
            .annotate(Max("order"))
        )
    return last


def comment_reply_as_author(*, comment, post, user, text):
    """The blog's author answers a comment: public at once, as deep as threads may go."""
    parent = comment
    max_level = max_thread_level_for_content_type(comment.content_type)
    while parent.level >= max_level and parent.parent_id != parent.pk:
        parent = XtdComment.norel_objects.get(pk=parent.parent_id)
    return comment_create(
        post=post,
        name=user.get_full_name() or user.get_username(),
        email=user.email or settings.DEFAULT_FROM_EMAIL,
        text=text,
        parent=parent,
    )


def posts_refresh_comment_counts(*, post_ids, model=Post):
    """Recount the public comments of these posts (or pages, model=Page) into their
    comment_count; how many changed."""
    post_ids = {int(pk) for pk in post_ids if str(pk).isdigit()}
    if not post_ids:
        return 0
    counts = dict(
        public_comments()
        .filter(
            content_type=ContentType.objects.get_for_model(model),
            object_pk__in=[str(pk) for pk in post_ids],
        )
        .order_by()
        .values_list("object_pk")
        .annotate(count=Count("pk"))
    )
    by_count = defaultdict(list)  # One UPDATE per count, not per post.
    for pk in post_ids:
        by_count[counts.get(str(pk), 0)].append(pk)
    changed = sum(
        model.objects.filter(pk__in=pks).exclude(comment_count=count).update(comment_count=count)
        for count, pks in by_count.items()
    )
    if changed:  # A comment came or went: the post page, its feed and the home page show it.
        pages_changed()
    return changed


def _affected_targets(comments):
    """{Post or Page: the primary keys the comments are on}."""
    targets = defaultdict(set)
    for comment in comments:
        model = commentable_model(comment.content_type_id)
        if model is not None:
            targets[model].add(comment.object_pk)
    return targets


def _refresh_counts_of(comments):
    for model, pks in _affected_targets(comments).items():
        posts_refresh_comment_counts(post_ids=pks, model=model)


@transaction.atomic
def comments_approve(*, comments, moderator):
    """Publish comments; readers who follow the thread hear about the ones new to them."""
    comments = list(comments)
    # From the stored rows, not the objects: the admin's change form has already set is_public.
    was_public = set(
        public_comments().filter(pk__in=[c.pk for c in comments]).values_list("pk", flat=True)
    )
    newly_public = [c for c in comments if c.pk not in was_public]
    for comment in comments:
        CommentFlag.objects.get_or_create(
            comment=comment, user=moderator, flag=CommentFlag.MODERATOR_APPROVAL
        )
    XtdComment.norel_objects.filter(pk__in=[c.pk for c in comments]).update(
        is_public=True, is_removed=False
    )
    _refresh_counts_of(comments)
    _trust_browsers_of(comments=comments, moderator=moderator)
    for comment in comments:
        bayes.learn(comment=comment, is_spam=False)
    for comment in newly_public:
        comment.is_public, comment.is_removed = True, False
        transaction.on_commit(lambda comment=comment: comment_notify_followers(comment=comment))
    return len(comments)


def _trust_browsers_of(*, comments, moderator, trusts=None):
    """Approving trusts the author from the browser the comment came from, unless a moderator
    withdrew their trust; `trusts` (by address) are the records to add the browsers to."""
    browsers = dict(
        CommentOrigin.objects.filter(comment_id__in=[c.pk for c in comments]).values_list(
            "comment_id", "browser"
        )
    )
    trusts = dict(trusts or {})
    for comment in comments:
        if comment.pk not in browsers:  # Imported, or written in the admin: no browser known.
            continue
        email = comment.user_email.lower()
        if email not in trusts:
            trusts[email], _ = CommenterTrust.objects.get_or_create(
                email=email, defaults={"decided_by": moderator}
            )
        if trusts[email].scope != CommenterTrust.Scope.WITHDRAWN:
            TrustedBrowser.objects.get_or_create(trust=trusts[email], browser=browsers[comment.pk])


@transaction.atomic
def commenter_trust(*, comment, moderator, any_browser=False):
    """Trust a comment's author: their next comments skip the queue, from the browsers of this
    comment and of those approved before, or from any browser. A waiting comment is approved."""
    trust, _ = CommenterTrust.objects.get_or_create(email=comment.user_email.lower())
    if any_browser:
        trust.scope = CommenterTrust.Scope.ANY_BROWSER
    elif trust.scope == CommenterTrust.Scope.WITHDRAWN:
        trust.scope = CommenterTrust.Scope.BROWSERS  # Trusting again never widens by itself.
    trust.decided_by = moderator
    trust.save()
    approved = XtdComment.norel_objects.filter(
        user_email__iexact=trust.email, flags__flag=CommentFlag.MODERATOR_APPROVAL
    ).distinct()
    vouched = [comment, *approved.exclude(pk=comment.pk)]
    _trust_browsers_of(comments=vouched, moderator=moderator, trusts={trust.email: trust})
    if not comment_is_public(comment):
        comments_approve(comments=[comment], moderator=moderator)
    return trust


@transaction.atomic
def commenters_withdraw_trust(*, trusts, moderator):
    """Their comments wait again, approved or not, until a moderator trusts them again; the
    browsers are forgotten, so trusting again starts from the comment trusted then."""
    trusts = list(trusts)
    TrustedBrowser.objects.filter(trust__in=trusts).delete()
    return CommenterTrust.objects.filter(pk__in=[t.pk for t in trusts]).update(
        scope=CommenterTrust.Scope.WITHDRAWN, decided_by=moderator, updated_at=timezone.now()
    )


def comment_notify_followers(*, comment):
    """Run after the approval is committed: a mail server that is down must not undo it."""
    try:
        notify_comment_followers(comment)
    except Exception:
        logger.exception("Could not email the followers about comment %s", comment.pk)


@transaction.atomic
def comments_reject(*, comments, moderator, flag=CommentFlag.MODERATOR_DELETION):
    """Take comments off the site; they stay in the database for the record."""
    comments = list(comments)
    for comment in comments:
        CommentFlag.objects.get_or_create(comment=comment, user=moderator, flag=flag)
    XtdComment.norel_objects.filter(pk__in=[c.pk for c in comments]).update(
        is_public=False, is_removed=True
    )
    _refresh_counts_of(comments)
    return len(comments)


def comments_mark_spam(*, comments, moderator):
    """Reject, remember the sender (their next comments are caught), and teach the filter."""
    comments = list(comments)
    for comment in comments:
        bayes.learn(comment=comment, is_spam=True)
    return comments_reject(comments=comments, moderator=moderator, flag=SPAM_FLAG)


# How long caught spam waits in the spam folder for a moderator to rescue it.
SPAM_KEPT_DAYS = 30


def comment_catch_as_spam(*, comment, reasons):
    """Keep a comment the spam checks caught out of sight, with its reasons, for a moderator
    to rescue within SPAM_KEPT_DAYS; older catches go now, so no cron is needed."""
    XtdComment.norel_objects.filter(pk=comment.pk).update(is_public=False, is_removed=True)
    comment.is_public, comment.is_removed = False, True
    HoldReason.objects.bulk_create(
        HoldReason(comment=comment, rule=rule, detail=detail[:300]) for rule, detail in reasons
    )
    spam_forget_old()


def spam_forget_old():
    """Delete caught spam nobody rescued in SPAM_KEPT_DAYS."""
    cutoff = timezone.now() - datetime.timedelta(days=SPAM_KEPT_DAYS)
    old = XtdComment.norel_objects.filter(
        is_removed=True, submit_date__lt=cutoff, hold_reasons__rule__in=SPAM_RULES
    )
    return XtdComment.norel_objects.filter(pk__in=list(old.values_list("pk", flat=True))).delete()


def bot_count(*, defence):
    """One more bot stopped by this defence today: a counter, not a row per bot."""
    today = timezone.localdate()
    if not BotCount.objects.filter(day=today, defence=defence).update(count=F("count") + 1):
        try:
            with transaction.atomic():
                BotCount.objects.create(day=today, defence=defence, count=1)
        except IntegrityError:  # Another server made today's row first.
            BotCount.objects.filter(day=today, defence=defence).update(count=F("count") + 1)
