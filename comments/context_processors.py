from functools import cached_property

from django.urls import reverse

from .selectors import AWAITING_MODERATION
from .xtd import CAN_MODERATE, XtdComment


class WaitingComments:
    """Counted only when a template asks (the admin's header), so no other page pays for it."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def count(self):
        if self.user is None or not self.user.has_perm(CAN_MODERATE):
            return 0
        return XtdComment.norel_objects.filter(AWAITING_MODERATION).count()


def moderation(request):
    """How many comments wait, for the header of every admin page."""
    if not request.path.startswith(reverse("admin:index")):
        return {}
    return {"comments_waiting": WaitingComments(getattr(request, "user", None))}
