from django import template

from desk.dashboard import dashboard_for
from desk.publication import blog_time, blog_zone_name, draft_notice

register = template.Library()


@register.inclusion_tag("desk/dashboard.html", takes_context=True)
def author_desk(context):
    """The admin home's "what needs you": drafts, scheduled posts, comments waiting and new."""
    request = context["request"]
    # The admin's header counted the waiting comments already (comments.context_processors).
    header_count = context.get("comments_waiting")
    waiting_count = header_count.count if header_count is not None else None
    return {
        "dashboard": dashboard_for(request.user, waiting_count=waiting_count),
        "zone": blog_zone_name(),
    }


register.filter("blog_time", blog_time)
register.filter("draft_notice", draft_notice)
