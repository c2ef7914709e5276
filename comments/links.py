"""One-click moderation from the moderators' email: signed, for one moderator, expiring.

A link only opens a confirmation page; the decision is a POST from that page, so a mail
scanner that follows every link changes nothing. A link works once: it decides a comment
that still waits, and a comment that has been decided (by this link or by anyone) is left
alone. Nothing is stored to know that: the comment's own state says it.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.urls import reverse

from . import services
from .selectors import AWAITING_MODERATION
from .xtd import CAN_MODERATE, XtdComment

SALT = "comments.moderation-link"
DECISIONS = {
    "approve": ("Approve", services.comments_approve),
    "reject": ("Reject", services.comments_reject),
    "spam": ("Mark as spam", services.comments_mark_spam),
}


class LinkRefused(Exception):
    """The link is expired, forged, spent, or its moderator may no longer decide."""


def decision_url(*, comment, moderator, decision):
    token = signing.dumps({"c": comment.pk, "m": moderator.pk, "d": decision}, salt=SALT)
    return reverse("comments-moderate", kwargs={"token": token})


def decision_from(token):
    """(decision, comment, moderator) for a valid link, else LinkRefused saying why."""
    max_age = settings.QUIRE_MODERATION_LINK_HOURS * 60 * 60
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise LinkRefused("This link has expired.") from None
    except signing.BadSignature:
        raise LinkRefused("This link is not one we sent.") from None
    decision = data.get("d")
    if decision not in DECISIONS:
        raise LinkRefused("This link is not one we sent.")
    moderator = get_user_model().objects.filter(pk=data.get("m"), is_active=True).first()
    if moderator is None or not moderator.has_perm(CAN_MODERATE):
        raise LinkRefused("The moderator this link was sent to may no longer decide.")
    comment = XtdComment.norel_objects.filter(pk=data.get("c")).first()
    if comment is None:
        raise LinkRefused("This comment no longer exists.")
    return decision, comment, moderator


def comment_is_waiting(comment):
    return XtdComment.norel_objects.filter(AWAITING_MODERATION, pk=comment.pk).exists()


def decide(*, decision, comment, moderator):
    """Apply the link's decision if the comment still waits; False if it had been decided."""
    if not comment_is_waiting(comment):
        return False
    DECISIONS[decision][1](comments=[comment], moderator=moderator)
    return True
