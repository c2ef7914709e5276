"""Who may comment on a post, which comments wait for a moderator, and who hears about them."""

import logging
import re

from django.conf import settings
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from . import bayes
from .links import DECISIONS, decision_url
from .models import CommenterTrust, CommentPattern, HoldRule
from .selectors import (
    comment_is_public,
    commenter_ban,
    commenter_is_trusted,
    commenter_trust,
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
        """Refuse only comments on posts that take none. Spam is let in, to be caught: it is
        kept out of sight in the spam folder (comments.services.comment_catch_as_spam)."""
        # The rule the page follows to show the form, so the two cannot drift apart.
        if not comments_are_open(content_object):
            return False
        ban = commenter_ban(comment.user_email)
        if ban is not None:
            request.comment_refusal = ban.reason  # The reader is told why (comments.views).
            return False
        request.comment_spam_reasons = self.spam_reasons(comment, content_object, request)
        return True

    def spam_reasons(self, comment, content_object, request):
        reasons = []
        words = matching_words(
            settings.QUIRE_COMMENTS_SPAM_WORDS, comment.user_name, comment.comment
        )
        if words:
            listed = ", ".join(f"'{word}'" for word in words)
            reasons.append((HoldRule.SPAM_WORDS, f"matched spam word {listed}"))
        if email_is_known_spammer(comment.user_email, browser_key=browser_key(request)):
            reasons.append((HoldRule.KNOWN_SPAMMER, "a comment from this address was spam"))
        if not super().allow(comment, content_object, request):  # Blocklisted email domains.
            domain = comment.user_email.rpartition("@")[2]
            reasons.append((HoldRule.BLOCKED_DOMAIN, f"email domain '{domain}' is blocked"))
        spamminess = bayes.score(
            text=comment.comment,
            name=comment.user_name,
            email=comment.user_email,
            url=comment.user_url,
        )
        if spamminess is not None and spamminess >= settings.QUIRE_SPAM_FILTER_THRESHOLD:
            reasons.append((HoldRule.SPAM_FILTER, f"spam filter score {spamminess:.2f}"))
        reasons += pattern_reasons(comment, CommentPattern.Action.SPAM, HoldRule.SPAM_PATTERN)
        return reasons

    def moderate(self, comment, content_object, request):
        """Hold the comment when any rule has a reason to; the reasons go with the request,
        so the comment keeps them once saved (comments.signals) and the moderators see why."""
        if getattr(request, "comment_spam_reasons", None):
            return True  # Caught: never public, whatever else holds.
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
        reasons += pattern_reasons(comment, CommentPattern.Action.HOLD, HoldRule.HOLD_PATTERN)
        if reasons or request.user.has_perm(CAN_MODERATE):
            return reasons
        if settings.QUIRE_COMMENTS_HOLD_FIRST_TIME and not commenter_is_trusted(
            email=comment.user_email, browser_key=browser_key(request)
        ):
            reasons.append((HoldRule.FIRST_TIME, untrusted_detail(comment.user_email)))
        return reasons

    def email(self, comment, content_object, request):
        """Tell each moderator that a comment waits: why, and links to decide in one click."""
        if comment_is_public(comment) or getattr(request, "comment_spam_reasons", None):
            return  # Caught spam costs the moderators no email: it waits in the spam folder.
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
            "link_hours": settings.QUIRE_MODERATION_LINK_HOURS,
        }
        subject = f"[{settings.QUIRE_SITE_NAME}] A comment on “{content_object}” awaits moderation"
        for moderator, address in moderator_recipients():
            links = []
            if saved and moderator is not None:
                links = [
                    (label, request.build_absolute_uri(
                        decision_url(comment=saved, moderator=moderator, decision=decision)
                    ))
                    for decision, (label, _decide) in DECISIONS.items()
                ]  # fmt: skip
            body = render_to_string(
                "comments/email/moderation_needed.txt", {**context, "decision_links": links}
            )
            try:
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
            except Exception:  # A mail server that is down must not cost the reader a 500.
                logger.exception("Could not email %s about comment %s", address, saved)


class PageCommentModerator(PostCommentModerator):
    """Comments on blog.Page: the same rules, but a page has no date to grow old from."""

    auto_moderate_field = None


def untrusted_detail(email):
    trust = commenter_trust(email)
    if trust is not None and trust.scope == CommenterTrust.Scope.WITHDRAWN:
        return "a moderator withdrew this address's trust"
    return "no comment approved before from this address and browser"


def pattern_reasons(comment, action, rule):
    """The moderators' own patterns of this action that the comment matches, as reasons."""
    patterns = CommentPattern.objects.filter(is_active=True, action=action)
    return [
        (
            rule,
            f"matched the pattern /{pattern.pattern}/"
            + (f" ({pattern.note})" if pattern.note else ""),
        )
        for pattern in patterns
        if pattern.matches(comment)
    ]


def moderator_recipients():
    """(user, email) for each moderator; the site's MANAGERS, with no user, when none."""
    moderators = (
        get_user_model()
        .objects.filter(groups__name=MODERATORS_GROUP, is_active=True)
        .exclude(email="")
        .order_by("email")
    )
    found = {user.email.lower(): (user, user.email) for user in moderators}
    return list(found.values()) or [(None, email) for _name, email in settings.MANAGERS]


def moderator_emails():
    """The addresses moderators are emailed at."""
    return sorted(address for _user, address in moderator_recipients())
