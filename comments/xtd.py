"""The seam to django-comments-xtd and django-contrib-comments: every name we take from them.

Import these from here, never from the libraries, so an upgrade has one file to read;
tests/comments/test_xtd_seam.py fails when the libraries change what we rely on.
Importable once the app registry is ready (models live here): AppConfig.ready() at the earliest.
"""

from django_comments.forms import CommentSecurityForm
from django_comments.models import Comment, CommentFlag
from django_comments.signals import comment_was_posted
from django_comments.views.comments import post_comment as post_comment_view
from django_comments_xtd import signed as xtd_signed
from django_comments_xtd.admin import XtdCommentsAdmin
from django_comments_xtd.conf import settings as xtd_settings
from django_comments_xtd.forms import XtdCommentForm
from django_comments_xtd.models import (
    BlackListedDomain,
    TmpXtdComment,
    XtdComment,
    max_thread_level_for_content_type,
    publish_or_unpublish_on_pre_save,
)
from django_comments_xtd.moderation import SpamModerator, moderator
from django_comments_xtd.signals import confirmation_received
from django_comments_xtd.views import confirm as confirm_view
from django_comments_xtd.views import mute as mute_view
from django_comments_xtd.views import notify_comment_followers, on_comment_was_posted
from django_comments_xtd.views import reply as reply_view

__all__ = [
    # XtdComment: save() threads a new comment (parent_id 0 makes a root; thread_id, level,
    # order follow the parent); norel_objects is a manager with no joins and no ordering.
    "XtdComment",
    # XtdComment's parent table (multi-table inheritance): a bulk insert writes both.
    "Comment",
    # The unsaved comment a posted form builds; sender of comment_was_posted and
    # confirmation_received, with attribute access to the form's data (xtd_comment once saved).
    "TmpXtdComment",
    # A moderator's decisions on a comment: MODERATOR_APPROVAL, MODERATOR_DELETION, our own flags.
    "CommentFlag",
    # Email domains SpamModerator.allow() refuses.
    "BlackListedDomain",
    # The deepest reply level allowed for a comment's content type (COMMENTS_XTD_MAX_THREAD_LEVEL).
    "max_thread_level_for_content_type",
    # pre_save receiver that republishes a comment's replies; disconnected in CommentsConfig.
    "publish_or_unpublish_on_pre_save",
    # comment_was_posted receiver that saves the comment and mails followers; we wrap it.
    "on_comment_was_posted",
    # django_comments' signal, sent with (comment, request) once a posted form validates.
    "comment_was_posted",
    # Sent with the request right after on_comment_was_posted (or confirm) saves a comment.
    "confirmation_received",
    # Mails the followers of a comment's post that it is public, with their mute links.
    "notify_comment_followers",
    # The moderator registry; register(model, moderator_class) wires allow/moderate/email.
    "moderator",
    # allow() refuses blocklisted domains; moderate() holds comments once auto_moderate_field is
    # moderate_after days old; email() is called after a posted comment is saved.
    "SpamModerator",
    # The library's form: signed security fields, honeypot, reply_to and followup.
    "XtdCommentForm",
    # Only the signed fields (content_type, object_pk, timestamp, security_hash) and their
    # checks; security_errors() tells an expired or forged form without the comment's checks.
    "CommentSecurityForm",
    # The library's admin for XtdComment, registered on import; we replace the registration.
    "XtdCommentsAdmin",
    # Views: django_comments' post_comment(request) validates, signals and redirects; the xtd
    # confirm(request, key), mute(request, key) and reply(request, cid).
    "post_comment_view",
    "confirm_view",
    "mute_view",
    "reply_view",
    "mute_key_is_valid",
    "CAN_MODERATE",
]

# django_comments' permission for moderators.
CAN_MODERATE = "django_comments.can_moderate"


def mute_key_is_valid(key):
    """Whether an unsubscribe link's key is one the library signed (mute_view's own check)."""
    try:
        xtd_signed.loads(str(key), extra_key=xtd_settings.COMMENTS_XTD_SALT)
    except (ValueError, xtd_signed.BadSignature):
        return False
    return True
