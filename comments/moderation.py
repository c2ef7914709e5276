"""Who may comment on a post, which comments wait for a moderator, and who hears about them."""

import logging
import re

from django.conf import settings
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from .models import HoldRule
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
        """Hold the comment when any rule has a reason to; the reasons go with the request,
        so the comment keeps them once saved (comments.signals) and the moderators see why."""
        reasons = self.hold_reasons(comment, content_object, request)
        request.comment_hold_reasons = reasons
        return bool(reasons)

    def hold_reasons(self, comment, content_object, request):
        """Every rule that holds this comment, each with what in the comment set it off."""
        reasons = []
        links = link_count(comment.comment) + link_count(comment.user_name)
        if links > settings.QUIRE_COMMENTS_MAX_LINKS:
            limit = settings.QUIRE_COMMENTS_MAX_LINKS
            reasons.append((HoldRule.LINKS, f"{links} links, more than {limit}"))
        blocked = matching_words(
            settings.QUIRE_COMMENTS_BLOCKLIST,
            comment.user_name,
            comment.user_email,
            comment.user_url,
            comment.comment,
        )
        if blocked:
            words = ", ".join(f"'{word}'" for word in blocked)
            reasons.append((HoldRule.BLOCKLIST, f"matched blocked word {words}"))
        if super().moderate(comment, content_object, request):  # moderate_after
            days = self.moderate_after
            reasons.append((HoldRule.OLD_POST, f"the post is more than {days} days old"))
        if comment.parent_id and not public_comments().filter(pk=comment.parent_id).exists():
            reasons.append((HoldRule.REPLY_TO_WAITING, "a reply to a comment still waiting"))
        if reasons or request.user.has_perm(CAN_MODERATE):
            return reasons
        if settings.QUIRE_COMMENTS_HOLD_FIRST_TIME and not commenter_is_trusted(
            email=comment.user_email, browser_key=browser_key(request)
        ):
            reasons.append(
                (HoldRule.FIRST_TIME, "no comment approved before from this address and browser")
            )
        return reasons

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
            "reasons": [detail for _rule, detail in getattr(request, "comment_hold_reasons", [])],
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
