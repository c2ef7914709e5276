from django import template
from django.conf import settings
from django.utils.html import format_html

from comments.forms import PostCommentForm
from comments.models import comment_html
from comments.rendering import LINK_REL
from comments.selectors import comment_is_public, comments_are_open, post_comments
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


@register.simple_tag(takes_context=True)
def post_comment_tree(context, post):
    """The public thread of a post in one query, nested in Python.

    The visitor's own comments that await moderation are shown to them alone. Rows come ordered
    by thread and position, so parents arrive before their replies; a reply whose parent was
    taken down moves up to the top level rather than vanishing.
    """
    max_level = settings.COMMENTS_XTD_MAX_THREAD_LEVEL
    request = context.get("request")
    comments = post_comments(post=post, also_pks=own_comment_ids(request) if request else [])
    comments = comments.select_related("user", "stored_html").order_by("thread_id", "order")
    nodes, roots = {}, []
    for comment in comments:
        node = nodes[comment.pk] = {
            "comment": comment,
            "children": [],
            "can_reply": comment.level < max_level,
            "is_awaiting": not comment_is_public(comment),
        }
        parent = nodes.get(comment.parent_id) if comment.parent_id != comment.pk else None
        (parent["children"] if parent else roots).append(node)
    return roots


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
