"""What waits for the author and the moderators, for the admin's home page.

Each section is read only for someone allowed to act on it, in a fixed number of queries
however many posts and comments there are.
"""

from dataclasses import dataclass

from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.urls import reverse

from blog.models import Post
from comments.selectors import AWAITING_MODERATION, comment_targets, public_comments
from comments.xtd import CAN_MODERATE, XtdComment

SHOWN = 5
SHOWN_SCHEDULED = 10
CAN_WRITE = "blog.change_post"


@dataclass
class Section:
    items: list
    count: int

    @property
    def more(self):
        return self.count - len(self.items)


@dataclass
class Dashboard:
    drafts: Section | None = None
    scheduled: Section | None = None
    waiting: Section | None = None
    latest_comments: Section | None = None

    @property
    def is_empty(self):
        return not any([self.drafts, self.scheduled, self.waiting, self.latest_comments])


def _posts_section(posts, *, shown):
    posts = posts.only("pk", "title", "status", "published_at", "updated_at")
    return Section(items=list(posts[:shown]), count=posts.count())


def dashboard_for(user, *, waiting_count=None):
    """The sections this user may act on; waiting_count, if the page counted already."""
    dashboard = Dashboard()
    if user.has_perm(CAN_WRITE):
        dashboard.drafts = _posts_section(
            Post.objects.drafts().order_by("-updated_at", "-pk"), shown=SHOWN
        )
        dashboard.scheduled = _posts_section(
            Post.objects.scheduled().order_by("published_at", "pk"), shown=SHOWN_SCHEDULED
        )
    if user.has_perm(CAN_MODERATE):
        waiting = XtdComment.norel_objects.filter(AWAITING_MODERATION)
        if waiting_count is None:
            waiting_count = waiting.count()
        latest_waiting = (
            list(waiting.order_by("-submit_date", "-pk")[:SHOWN]) if waiting_count else []
        )
        dashboard.waiting = Section(items=latest_waiting, count=waiting_count)
        latest = list(public_comments().order_by("-submit_date", "-pk")[:SHOWN])
        dashboard.latest_comments = Section(items=latest, count=len(latest))
        _attach_posts([*latest_waiting, *latest])
    return dashboard


def _attach_posts(comments):
    """Each comment's post or page as comment.on_post (None if gone): one query for each kind."""
    targets = comment_targets(comments, fields=("pk", "title"))
    for comment in comments:
        comment.on_post = target = targets[comment.pk]
        if target is not None:
            comment.on_post_admin_url = reverse(
                admin_urlname(target._meta, "change"), args=[target.pk]
            )
