"""Where a post stands (draft, scheduled, published), said the same way on every desk page.

Times are the blog's (settings.TIME_ZONE), whatever zone a request may have activated: the
author schedules in the zone the blog's dates and archive months are in.
"""

from django.conf import settings
from django.contrib import admin
from django.utils import dateformat, timezone

from blog.models import Post

# As the preview says it (templates/blog/post_detail.html).
TIME_FORMAT = "l, F j, Y, g:i A"


def blog_zone():
    return timezone.get_default_timezone()


def blog_zone_name():
    return settings.TIME_ZONE


def blog_time(moment):
    """A time as the author reads it: "Thursday, October 24, 2024, 2:00 PM" in the blog's zone."""
    return dateformat.format(timezone.localtime(moment, blog_zone()), TIME_FORMAT)


def blog_time_in_zone(moment):
    return f"{blog_time(moment)} ({blog_zone_name()})"


def publication_label(post):
    if post.status == Post.Status.DRAFT:
        return "Draft"
    if post.is_scheduled:
        return f"Scheduled for {blog_time(post.published_at)}"
    return "Published"


def publication_summary(post):
    """Where the post stands, with its time and zone, for someone who may only look."""
    when = blog_time_in_zone(post.published_at)
    if post.status == Post.Status.DRAFT:
        return draft_notice(post) or "Draft: not on the blog."
    return f"Scheduled for {when}" if post.is_scheduled else f"Published on {when}"


def draft_notice(post):
    """What a draft dated in the future must say: the date alone schedules nothing."""
    if post.status != Post.Status.DRAFT or post.published_at <= timezone.now():
        return None
    return (
        f"This draft will not appear on {blog_time(post.published_at)} ({blog_zone_name()}) "
        "until you schedule or publish it."
    )


class PublicationFilter(admin.SimpleListFilter):
    title = "publication"
    parameter_name = "publication"

    def lookups(self, request, model_admin):
        return [("draft", "Draft"), ("scheduled", "Scheduled"), ("published", "Published")]

    def queryset(self, request, queryset):
        if self.value() == "draft":
            return queryset.drafts()
        if self.value() == "scheduled":
            return queryset.scheduled()
        if self.value() == "published":
            return queryset.published()
        return queryset
