import logging

from blog.publishing import pages_changed

from .models import CommentOrigin, HoldReason, comment_html_fill
from .selectors import comment_is_public, commentable_model
from .services import comment_catch_as_spam, posts_refresh_comment_counts
from .session import remember_own_comment
from .trust import browser_key, key_digest
from .xtd import on_comment_was_posted

logger = logging.getLogger(__name__)


def comment_saved_html(sender, instance, **kwargs):
    """Admin edits, comment_create and the library's own saves all store the comment's HTML."""
    comment_html_fill(instance)


def comment_changed(sender, instance, **kwargs):
    """Any save or delete may change what the public sees, so recount the post's (or page's).

    A receiver, not the services alone: the library and the admin save comments themselves.
    Run in the same transaction rather than on commit: the count is part of the write.
    """
    model = commentable_model(instance.content_type_id)
    if model is not None:
        changed = posts_refresh_comment_counts(post_ids=[instance.object_pk], model=model)
        if not changed and comment_is_public(instance):  # An edit of a public comment.
            pages_changed()


def comment_saved(sender, comment, request, **kwargs):
    """The library has just saved a reader's comment: the poster's session remembers it, and
    the comment its browser, which any trust a moderator gives it will belong to."""
    if comment.xtd_comment is None:  # None while an email confirmation is pending.
        return
    remember_own_comment(request, comment.xtd_comment)
    key = browser_key(request)
    if key:
        CommentOrigin.objects.update_or_create(
            comment=comment.xtd_comment, defaults={"browser": key_digest(key)}
        )
    spam_reasons = getattr(request, "comment_spam_reasons", ())
    if spam_reasons:
        comment_catch_as_spam(comment=comment.xtd_comment, reasons=spam_reasons)
        return
    HoldReason.objects.bulk_create(
        HoldReason(comment=comment.xtd_comment, rule=rule, detail=detail[:300])
        for rule, detail in getattr(request, "comment_hold_reasons", ())
    )


def comment_posted(sender, comment, request, **kwargs):
    """The library's receiver (saves the comment, emails followers) without its 500s on mail.

    smtplib's errors and refused connections are OSErrors. By then the comment is saved, unless
    QUIRE_COMMENTS_CONFIRM_EMAIL is on: then the lost mail was the confirmation request.
    """
    try:
        on_comment_was_posted(sender, comment=comment, request=request, **kwargs)
    except OSError:
        logger.exception("Could not email about the comment on %s", comment.content_object)
