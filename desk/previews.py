"""Secret preview links: a signed address that lets anyone read one unpublished post.

The token is the link's id and lifetime signed with a timestamp of the link's creation, so the
same link always has the same address and nothing secret is stored. Three things must agree for
it to open: the signature, its age (no older than the lifetime it signs), and the row (not
revoked, not expired, its post still there).
"""

import datetime

from django.core import signing
from django.urls import reverse
from django.utils import timezone

from .models import PreviewLink

SALT = "desk.preview-link"
LIFETIME_DAYS = (1, 3, 7, 14, 30)
DEFAULT_LIFETIME_DAYS = 7


class LinkSigner(signing.TimestampSigner):
    """Signs as of the link's creation, so a link's address can be shown again later."""

    def __init__(self, *, issued_at=None):
        super().__init__(salt=SALT)
        self.issued_at = issued_at

    def timestamp(self):
        if self.issued_at is None:
            return super().timestamp()
        return signing.b62_encode(int(self.issued_at.timestamp()))


def preview_link_create(*, post, user, days=DEFAULT_LIFETIME_DAYS):
    if days not in LIFETIME_DAYS:
        raise ValueError(f"A preview link lasts one of {LIFETIME_DAYS} days, not {days}.")
    # Whole seconds: the signature's timestamp has no finer grain.
    now = timezone.now().replace(microsecond=0)
    return PreviewLink.objects.create(
        post=post, created_by=user, created_at=now, expires_at=now + datetime.timedelta(days=days)
    )


def preview_link_revoke(*, link):
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])


def preview_link_token(link):
    """The link's id and lifetime, signed as of its creation: the row cannot outlive the
    signature, nor the signature the row."""
    payload = [link.pk, int(link.lifetime.total_seconds())]
    return LinkSigner(issued_at=link.created_at).sign_object(payload)


def preview_link_path(link):
    return reverse("desk:preview_link", kwargs={"token": preview_link_token(link)})


def active_links(post):
    links = post.preview_links.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())
    return links.select_related("created_by")


def link_for_token(token):
    """The link a token names, with its post and author, if the signature is ours and no older
    than the lifetime it signs; None otherwise. Revocation and expiry of the row are the
    caller's to read (a link to a post published since still leads to it)."""
    signer = LinkSigner()
    try:
        link_id, lifetime = signer.unsign_object(token)
        signer.unsign_object(token, max_age=lifetime)
    except (signing.BadSignature, ValueError, TypeError):  # SignatureExpired is a BadSignature.
        return None
    return PreviewLink.objects.select_related("post", "post__author").filter(pk=link_id).first()
