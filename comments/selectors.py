"""Reads the comment pages, feeds, counts, forms, admin and notifications share."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, F, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from blog.models import Page, Post

from .models import SPAM_RULES, CommenterBan, CommenterTrust
from .trust import key_digest
from .xtd import CommentFlag, XtdComment

# The one rule for a comment the public may see; the others are derived from it.
PUBLIC = Q(is_public=True, is_removed=False)
AWAITING_MODERATION = Q(is_public=False, is_removed=False)

# What readers may comment on, by the "app_label.model" name the library's form carries.
COMMENTABLE = {"blog.post": Post, "blog.page": Page}

# A moderator's verdict, kept as a CommentFlag beside the library's approval and deletion flags.
SPAM_FLAG = "marked as spam"


def comment_is_public(comment):
    """PUBLIC for one comment in hand (a saved one, or the library's unsaved TmpXtdComment)."""
    return bool(comment.is_public and not comment.is_removed)


def comment_is_caught_as_spam(comment):
    """In the spam folder: removed by the spam checks, not yet by or for a moderator."""
    return comment.is_removed and comment.hold_reasons.filter(rule__in=SPAM_RULES).exists()


def public_comments():
    return XtdComment.norel_objects.filter(PUBLIC)


def visible_comments(*, also_pks=()):
    """Public comments, and those of also_pks (a visitor's own) still waiting for a moderator."""
    if not also_pks:
        return public_comments()
    return XtdComment.norel_objects.filter(PUBLIC | Q(pk__in=also_pks, is_removed=False))


def post_comments(*, post, also_pks=()):
    """The post's (or page's) public comments, and those of also_pks that wait (not removed)."""
    return visible_comments(also_pks=also_pks).filter(
        content_type=ContentType.objects.get_for_model(post), object_pk=str(post.pk)
    )


def commentable_model(content_type_id):
    """Post or Page for a comment's content type; None for anything else."""
    content_type = ContentType.objects.get_for_id(content_type_id)
    return COMMENTABLE.get(f"{content_type.app_label}.{content_type.model}")


def public_target(model, pk):
    """The public post or page of this model and primary key, or None."""
    if model is None or pk is None:
        return None
    return model.objects.published().filter(pk=pk).first()


def comment_target(comment, *, public=True):
    """The post or page a comment is on (only if public, unless public=False), or None."""
    model = commentable_model(comment.content_type_id)
    if model is None or not comment.object_pk.isdigit():
        return None
    if public:
        return public_target(model, int(comment.object_pk))
    return model.objects.filter(pk=int(comment.object_pk)).first()


def comment_targets(comments, *, fields=("pk", "title", "slug")):
    """{comment pk: its post or page, or None}, in one query per kind of target."""
    wanted = {}
    for comment in comments:
        model = commentable_model(comment.content_type_id)
        if model is not None and comment.object_pk.isdigit():
            wanted.setdefault(model, set()).add(int(comment.object_pk))
    found = {
        model: model.objects.only(*fields).order_by().in_bulk(pks) for model, pks in wanted.items()
    }
    return {
        comment.pk: found.get(commentable_model(comment.content_type_id), {}).get(
            int(comment.object_pk) if comment.object_pk.isdigit() else None
        )
        for comment in comments
    }


@dataclass(frozen=True, slots=True)
class ThreadComment:
    """What a thread shows of a comment, read as plain values: model instances of the library's
    two tables, and the receivers every instance wakes, cost more than the rest of the page."""

    pk: int
    parent_id: int
    level: int
    is_public: bool
    is_removed: bool
    submit_date: dt.datetime
    name: str
    user_url: str
    html: str | None  # None for a comment saved without signals (a raw update).
    comment: str


THREAD_FIELDS = (
    "pk",
    "parent_id",
    "level",
    "is_public",
    "is_removed",
    "submit_date",
    "user_name",
    "user_url",
    "comment",
    "user_id",
    "user__first_name",
    "user__last_name",
    "user__username",
    "stored_html__html",
)


def thread_comment(row):
    # The name django_comments gives a comment (its userinfo): an account's full name, else the
    # name typed, else the account's username.
    name = row["user_name"]
    if row["user_id"]:
        full_name = f"{row['user__first_name']} {row['user__last_name']}".strip()
        name = full_name or name or row["user__username"]
    return ThreadComment(
        pk=row["pk"],
        parent_id=row["parent_id"],
        level=row["level"],
        is_public=row["is_public"],
        is_removed=row["is_removed"],
        submit_date=row["submit_date"],
        name=name,
        user_url=row["user_url"],
        html=row["stored_html__html"],
        comment=row["comment"],
    )


@dataclass(frozen=True)
class CommentPage:
    comments: list  # ThreadComments by thread and position: parents before their replies.
    newer_start: int | None  # None: this is the last page.
    older_start: int | None  # None: the older page is the first, or there is none.
    has_older: bool


def post_comment_page(*, post, also_pks=(), start=None):
    """One page of a post's thread: QUIRE_COMMENTS_PER_PAGE top-level threads from `start`.

    A page is a range of thread ids (a thread's id is its first comment's), so a thread is never
    split and a late page costs what the first does: no OFFSET over earlier pages, no COUNT.
    One query: where the next page starts, and the previous one, ride along as subqueries that
    do not depend on the row, which the database evaluates once. Most posts need none of it:
    Post.comment_count says when every comment fits on the first page.
    """
    per_page = settings.QUIRE_COMMENTS_PER_PAGE
    comments = post_comments(post=post, also_pks=also_pks)
    rows = comments.order_by("thread_id", "order")
    if start is None and post.comment_count + len(also_pks) <= per_page:
        page = [thread_comment(row) for row in rows.values(*THREAD_FIELDS)]
        return CommentPage(page, newer_start=None, older_start=None, has_older=False)
    roots = comments.filter(level=0).order_by("thread_id").values("thread_id")
    extra = ["newer_start"]
    if start is not None:
        earlier = roots.filter(thread_id__lt=start).order_by("-thread_id")
        rows = rows.filter(thread_id__gte=start).annotate(
            has_older=Exists(comments.filter(thread_id__lt=start)),
            older_start=Subquery(earlier[per_page - 1 : per_page]),
            # Null when the older page is the first, which has no start.
            before_older=Subquery(earlier[per_page : per_page + 1]),
        )
        extra += ["has_older", "older_start", "before_older"]
        roots = roots.filter(thread_id__gte=start)
    rows = list(
        rows.annotate(newer_start=Subquery(roots[per_page : per_page + 1]))
        .filter(thread_id__lt=Coalesce(F("newer_start"), F("thread_id") + 1))
        .values(*THREAD_FIELDS, *extra)
    )
    page = [thread_comment(row) for row in rows]
    if start is None or not rows:  # A start past the last comment: the way back to the first.
        newer = rows[0]["newer_start"] if rows else None
        return CommentPage(page, newer_start=newer, older_start=None, has_older=start is not None)
    first = rows[0]
    return CommentPage(
        page,
        newer_start=first["newer_start"],
        older_start=first["older_start"] if first["before_older"] is not None else None,
        has_older=first["has_older"],
    )


def comment_page_start(*, post, comment, also_pks=()):
    """The `start` of the page of post_comment_page that shows this comment; None: the first.

    Only the comment redirect asks, so counting the threads before it is affordable here.
    """
    per_page = settings.QUIRE_COMMENTS_PER_PAGE
    roots = post_comments(post=post, also_pks=also_pks).filter(level=0)
    up_to = roots.filter(thread_id__lte=comment.thread_id)
    threads_up_to = up_to.count()  # Its own thread, or the one a reply of a removed one joins.
    if threads_up_to <= per_page:
        return None
    position_on_page = (threads_up_to - 1) % per_page
    return up_to.order_by("-thread_id").values_list("thread_id", flat=True)[position_on_page]


def comments_are_open(post):
    """The post (or page) is public, its comments are on, and they have not closed with age."""
    if not post.allow_comments or not post.is_published:
        return False
    closes_at = comments_close_at(post)
    return closes_at is None or timezone.now() < closes_at


def comments_close_at(post):
    """When the post's comments close with age, or None if they never do.

    A page has no publication date to age from: its comments stay open until switched off.
    """
    days = settings.QUIRE_COMMENTS_CLOSE_AFTER_DAYS
    if not days or not isinstance(post, Post):
        return None
    return post.published_at + dt.timedelta(days=days)


def commenter_trust(email):
    """What moderators decided about trusting this address, if anything."""
    return CommenterTrust.objects.filter(email=email.lower()).first()


def commenter_is_trusted(*, email, browser_key):
    """Their comments skip the queue: a moderator trusted this address from this browser (by
    approving a comment sent from it, or with Trust) or from any browser; never once trust is
    withdrawn, nor once a comment from the address was spam. Typing a trusted reader's address
    in another browser earns nothing (trust.py)."""
    trust = commenter_trust(email)
    if trust is None or trust.scope == CommenterTrust.Scope.WITHDRAWN:
        return False
    if email_is_known_spammer(email, browser_key=browser_key):
        return False
    if trust.scope == CommenterTrust.Scope.ANY_BROWSER:
        return True
    return _is_trusted_browser(trust, browser_key)


def _is_trusted_browser(trust, browser_key):
    return bool(browser_key) and trust.browsers.filter(browser=key_digest(browser_key)).exists()


def email_is_known_spammer(email, *, browser_key=None):
    """A comment from this address was marked as spam; from this browser's side, that is: seen
    from a browser the address is trusted from, only spam sent from such browsers counts. A
    forger's comment, rightly marked as spam, must not send the real reader's to the spam
    folder from then on."""
    spam = CommentFlag.objects.filter(comment__user_email__iexact=email, flag=SPAM_FLAG)
    trust = commenter_trust(email)
    if (
        trust is not None
        and trust.scope == CommenterTrust.Scope.BROWSERS
        and _is_trusted_browser(trust, browser_key)
    ):
        trusted = trust.browsers.values("browser")
        spam = spam.filter(comment__xtdcomment__origin__browser__in=trusted)
    return spam.exists()


def commenter_ban(email):
    """The ban in force for this address, if any."""
    in_force = Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
    return CommenterBan.objects.filter(in_force, email__iexact=email).first()
