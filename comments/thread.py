"""A page of a post's thread as readers see it: nested in Python, made into HTML in one pass.

One pass of format_html rather than a template include per comment, which took most of the
time of a page with many comments. The HTML is the same as the include's was.
"""

import html

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from blog.templatetags.blog_tags import iso_datetime

from .rendering import LINK_REL, comment_text
from .selectors import comment_is_public

COMMENT = """<li class="comment{}" id="c{}">
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
REPLIES = '\n  <ol class="comment-list">{}</ol>'


def commenter(comment):
    """The commenter's name, linked to their website only when that is an http(s) address."""
    url = comment.user_url or ""
    if url.lower().startswith(("http://", "https://")):
        return format_html('<a href="{}" rel="{}">{}</a>', url, LINK_REL, comment.name)
    return comment.name


def comment_time(moment, months=MONTHS):
    """What the date filter makes of "F j, Y \\a\\t g:i A", without parsing it per comment."""
    local = timezone.localtime(moment)
    hour = local.hour % 12 or 12
    noon = "AM" if local.hour < 12 else "PM"
    return f"{months[local.month]} {local.day}, {local.year} at {hour}:{local.minute:02d} {noon}"


def _escape(value):
    """conditional_escape without its lazy-string checks: a page calls it ten times a comment."""
    return value if hasattr(value, "__html__") else html.escape(str(value))


def text_html(comment):
    """A ThreadComment's stored HTML (made by comment_text, which escapes), else made now."""
    return comment.html if comment.html is not None else comment_text(comment.comment)


def thread_html(comments, *, can_reply):
    """The list items of ThreadComments by thread and position, replies nested in their parent.

    A reply whose parent is not among them (taken down) moves up to the top level.
    """
    replies, roots = {}, []
    for comment in comments:
        replies[comment.pk] = []
        is_reply = comment.parent_id != comment.pk and comment.parent_id in replies
        (replies[comment.parent_id] if is_reply else roots).append(comment)
    max_level = settings.COMMENTS_XTD_MAX_THREAD_LEVEL if can_reply else -1
    # One reverse per page: the reply address of comment 0, with each comment's id put in.
    reply_url = reverse("comments-xtd-reply", kwargs={"cid": 0}).replace("/0/", "/{}/")

    # The month names translated once a page, not once a comment.
    months = {number: str(name) for number, name in MONTHS.items()}

    def item(comment):
        is_awaiting = not comment_is_public(comment)
        name = _escape(comment.name)
        return COMMENT.format(
            " comment-awaiting" if is_awaiting else "",
            comment.pk,
            _escape(commenter(comment)),
            comment.pk,
            iso_datetime(comment.submit_date),
            _escape(comment_time(comment.submit_date, months)),
            AWAITING_NOTE if is_awaiting else "",
            text_html(comment),
            REPLY_LINK.format(_escape(reply_url.format(comment.pk)), name)
            if comment.level < max_level
            else "",
            REPLIES.format(items(replies[comment.pk])) if replies[comment.pk] else "",
        )

    def items(comments):
        return mark_safe("\n".join(item(comment) for comment in comments))

    return items(roots)


def page_links(post, page):
    """The addresses of the older and newer pages of comments, or None where there is none."""
    base = post.get_absolute_url()
    newer = f"{base}?comments={page.newer_start}#comments" if page.newer_start else None
    if not page.has_older:
        return None, newer
    if page.older_start is None:
        return f"{base}#comments", newer
    return f"{base}?comments={page.older_start}#comments", newer
