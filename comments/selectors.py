"""Reads the comment pages, feeds, counts, forms, admin and notifications share."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone

from blog.models import Post

from .models import SPAM_RULES
from .trust import key_digest
from .xtd import CommentFlag, XtdComment

# The one rule for a comment the public may see; the others are derived from it.
PUBLIC = Q(is_public=True, is_removed=False)
AWAITING_MODERATION = Q(is_public=False, is_removed=False)

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
    """The post's public comments, and those of also_pks that are waiting (not removed)."""
    return visible_comments(also_pks=also_pks).filter(
        content_type=ContentType.objects.get_for_model(Post), object_pk=str(post.pk)
    )


def comments_are_open(post):
    """The post is public, its comments are switched on, and they have not closed with age."""
    if not post.allow_comments or not post.is_published:
        return False
    days = settings.QUIRE_COMMENTS_CLOSE_AFTER_DAYS
    return not days or (timezone.now() - post.published_at).days < days


def commenter_is_trusted(*, email, browser_key):
    """A moderator approved a comment from this address sent from this browser (trust.py),
    and no comment from the address was spam."""
    if not browser_key:
        return False
    approved = CommentFlag.objects.filter(
        flag=CommentFlag.MODERATOR_APPROVAL,
        comment__user_email__iexact=email,
        comment__xtdcomment__origin__browser=key_digest(browser_key),
    )
    return approved.exists() and not email_is_known_spammer(email)


def email_is_known_spammer(email):
    return CommentFlag.objects.filter(comment__user_email__iexact=email, flag=SPAM_FLAG).exists()
