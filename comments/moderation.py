"""Who may comment on a post, which comments wait for a moderator, and who hears about them."""

import logging
import re

from django.conf import settings
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from .selectors import (
    comment_is_public,
    commenter_is_trusted,
    comments_are_open,
    email_is_known_spammer,
    public_comments,
)
from .trust import browser_key
from .xtd import CAN_MODERATE, SpamModerator, XtdComment

logger = logging.getLogger(__name__)

MODERATORS_GROUP = "Moderators"
LINK_PATTERN = re.compile(r"(?:https?://|www\.)", re.IGNORECASE)


def link_count(text):
    return len(LINK_PATTERN.findall(text or ""))


def matching_words(words, *texts):
    haystack = " ".join(t or "" for t in texts).casefold()
    return [word for word in words if word.casefold() in haystack]


class PostCommentModerator(SpamModerator):
    """Comments on blog.Post: spam is refused outright, doubtful comments wait for a moderator.

    moderate_after reads settings at call time, so tests and operators can change it.
    """

    email_notification = True
    auto_moderate_field = "published_at"

    @property
    def moderate_after(self):
        return settings.QUIRE_COMMENTS_MODERATE_AFTER_DAYS or None

    def allow(self, comment, content_object, request):
        # The rule the page follows to show the form, so the two cannot drift apart.
        if not comments_are_open(content_object):
            return False
        if matching_words(settings.QUIRE_COMMENTS_SPAM_WORDS, comment.user_name, comment.comment):
            return False
        if email_is_known_spammer(comment.user_email):
            return False
        # Blocklisted e-mail domains.
        return super().allow(comment, content_object, request)

    def moderate(self, comment, content_object, request):
        if link_count(comment.comment) + link_count(comment.user_name) > (
            settings.QUIRE_COMMENTS_MAX_LINKS
        ):
            return True
        if matching_words(
            settings.QUIRE_COMMENTS_BLOCKLIST,
            comment.user_name,
            comment.user_email,
            comment.user_url,
            comment.comment,
        ):
            return True
        if super().moderate(comment, content_object, request):  # moderate_after
            return True
        if comment.parent_id and not public_comments().filter(pk=comment.parent_id).exists():
            return True  # A reply to a waiting comment waits with it.
        if request.user.has_perm(CAN_MODERATE):
            return False
        if not settings.QUIRE_COMMENTS_HOLD_FIRST_TIME:
            return False
        return not commenter_is_trusted(email=comment.user_email, browser_key=browser_key(request))

    def email(self, comment, content_object, request):
        """Tell the moderators that a comment waits, with a link to it in the queue."""
        if comment_is_public(comment):
            return
        recipients = moderator_emails()
        if not recipients:
            return
        saved = comment.xtd_comment  # Missing while an email confirmation is pending.
        path = (
            reverse(admin_urlname(XtdComment._meta, "change"), args=[saved.pk])
            if saved
            else reverse(admin_urlname(XtdComment._meta, "changelist"))
        )
        context = {
            "comment": comment,
            "post": content_object,
            "queue_url": request.build_absolute_uri(path),
            "site_name": settings.QUIRE_SITE_NAME,
        }
        try:
            send_mail(
                f"[{settings.QUIRE_SITE_NAME}] A comment on “{content_object}” awaits moderation",
                render_to_string("comments/email/moderation_needed.txt", context),
                settings.DEFAULT_FROM_EMAIL,
                recipients,
            )
        except Exception:  # A mail server that is down must not cost the reader a 500.
            logger.exception("Could not email the moderators about comment %s", saved)


def moderator_emails():
    """Members of the Moderators group; the site's MANAGERS when the group is empty."""
    emails = (
        get_user_model()
        .objects.filter(groups__name=MODERATORS_GROUP, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    return sorted(set(emails)) or [email for _name, email in settings.MANAGERS]
