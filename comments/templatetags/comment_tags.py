import re

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from blog.templatetags.blog_tags import iso_datetime
from comments.forms import PostCommentForm
from comments.models import comment_html
from comments.rendering import LINK_REL
from comments.selectors import comment_is_public, comments_are_open, post_comment_page
from comments.session import own_comment_ids

register = template.Library()

register.filter("comment_html", comment_html)


@register.filter
def commenter(comment):
    """The commenter's name, linked to their website only when that is an http(s) address."""
    url = comment.user_url or ""
    if url.lower().startswith(("http://", "https://")):
        return format_html('<a href="{}" rel="{}">{}</a>', url, LINK_REL, comment.name)
    return comment.name


# A page's first thread id, as "Newer comments" links carry it; digits that fit an integer.
START_PATTERN = re.compile("[0-9]{1,9}")


def comments_start(request):
    start = request.GET.get("comments", "") if request else ""
    return int(start) if START_PATTERN.fullmatch(start) else None


COMMENT_HTML = """<li class="comment{}" id="c{}">
  <article>
    <p class="comment-meta">
      <span class="comment-author">{}</span> said…
      <a class="comment-permalink" href="#c{}"><time datetime="{}">{}</time></a>{}
    </p>
    <div class="comment-body">{}</div>{}
  </article>{}
</li>"""
AWAITING_NOTE = mark_safe(
    '\n      <span class="comment-awaiting-note" role="status">'
    '<strong class="comment-status">Awaiting moderation.</strong> '
    "Only you can see it until a moderator approves it.</span>"
)
REPLY_LINK = (
    '\n    <p class="comment-reply">'
    '<a href="{}" rel="nofollow" aria-label="Reply to {}">Reply</a></p>'
)


def comment_time(moment):
    """What the date filter makes of "F j, Y \\a\\t g:i A", without parsing it per comment."""
    local = timezone.localtime(moment)
    hour = local.hour % 12 or 12
    noon = "AM" if local.hour < 12 else "PM"
    return f"{MONTHS[local.month]} {local.day}, {local.year} at {hour}:{local.minute:02d} {noon}"


@register.simple_tag(takes_context=True)
def post_comment_thread(context, post):
    """One page of the post's public thread: one query, nested in Python, as HTML in one pass.

    Python rather than a template include per comment, which took most of a long page's time.
    The visitor's own comments that await moderation are shown to them alone. A reply whose
    parent was taken down moves up to the top level rather than vanishing.
    """
    request = context.get("request")
    start = comments_start(request)
    rows = list(
        post_comment_page(
            post=post, also_pks=own_comment_ids(request) if request else [], start=start
        )
    )
    max_level = settings.COMMENTS_XTD_MAX_THREAD_LEVEL if comments_are_open(post) else -1
    # One reverse per page: the reply address of comment 0, with each comment's id put in.
    reply_url = reverse("comments-xtd-reply", kwargs={"cid": 0}).replace("/0/", "/{}/")
    children, roots = {}, []
    for comment in rows:
        children[comment.pk] = []
        is_reply = comment.parent_id != comment.pk and comment.parent_id in children
        (children[comment.parent_id] if is_reply else roots).append(comment)

    def comment_item(comment):
        is_awaiting = not comment_is_public(comment)
        replies = children[comment.pk]
        return format_html(
            COMMENT_HTML,
            " comment-awaiting" if is_awaiting else "",
            comment.pk,
            commenter(comment),
            comment.pk,
            iso_datetime(comment.submit_date),
            comment_time(comment.submit_date),
            AWAITING_NOTE if is_awaiting else "",
            comment_html(comment),
            format_html(REPLY_LINK, reply_url.format(comment.pk), comment.name)
            if comment.level < max_level
            else "",
            format_html('\n  <ol class="comment-list">{}</ol>', comment_list(replies))
            if replies
            else "",
        )

    def comment_list(comments):
        return mark_safe("\n".join(comment_item(comment) for comment in comments))

    base = post.get_absolute_url()
    first = rows[0] if rows else None
    newer = first.next_start if first else None
    if start is None or (first and not first.has_previous):
        older = None
    elif first and first.before_previous is not None:
        older = f"{base}?comments={first.previous_start}#comments"
    else:
        older = f"{base}#comments"
    return {
        "html": comment_list(roots),
        "newer_url": f"{base}?comments={newer}#comments" if newer else None,
        "older_url": older,
    }


@register.simple_tag
def post_comment_form(post):
    return PostCommentForm(post)


register.filter("comments_are_open", comments_are_open)


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    """Links in emails, which have no request to borrow a scheme and host from."""
    site = context.get("site")
    domain = getattr(site, "domain", None) or settings.QUIRE_DOMAIN
    scheme = "http" if settings.DEBUG else "https"
    return f"{scheme}://{domain}{path}"
