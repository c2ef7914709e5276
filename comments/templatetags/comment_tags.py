import re

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language

from blog.publishing import page_changes_at
from blog.templatetags.blog_tags import comment_count_line
from comments.forms import PostCommentForm, text_field_name
from comments.models import comment_html
from comments.selectors import (
    comment_is_public,
    comments_are_open,
    comments_close_at,
    post_comment_page,
)
from comments.session import own_comment_ids
from comments.thread import commenter, page_links, thread_html

register = template.Library()

register.filter("comment_html", comment_html)
register.filter("commenter", commenter)

# A page's first thread id, as "Newer comments" links carry it; digits that fit an integer.
START_PATTERN = re.compile("[0-9]{1,9}")


@register.simple_tag(takes_context=True)
def post_comment_thread(context, post):
    """One page of the post's thread, in one query; the visitor's own waiting comments too."""
    request = context.get("request")
    start = request.GET.get("comments", "") if request else ""
    start = int(start) if START_PATTERN.fullmatch(start) else None
    own = own_comment_ids(request) if request else []
    page = post_comment_page(post=post, also_pks=own, start=start)
    older, newer = page_links(post, page)
    is_open = comments_are_open(post)
    if is_open:  # The form and the reply links go when comments close: so must a stored page.
        page_changes_at(request, comments_close_at(post))
    return {
        "html": thread_html(page.comments, can_reply=is_open),
        "heading": comments_heading(post.comment_count, own_waiting(page.comments)),
        "older_url": older,
        "newer_url": newer,
    }


def own_waiting(comments):
    """The visitor's own comments on this page that still wait: only they are shown them."""
    return sum(not comment_is_public(comment) for comment in comments)


def comments_heading(count, waiting):
    """The count line, honest about the reader's own waiting comments, which it does not count."""
    line = comment_count_line(count)
    if not waiting:
        return line
    yours = "yours" if waiting == 1 else f"{waiting} of yours"
    verb = "is" if waiting == 1 else "are"
    if not count:
        return f"No published comments yet; {yours} {verb} awaiting moderation"
    return f"{line}, and {yours} awaiting moderation"


@register.simple_tag
def blank_form_fields(post):
    """The cached form's fields, made once a process: unbound, they hold nothing of the post or
    the reader, only what the code, the settings and SECRET_KEY (the text field's name) make."""
    key = (text_field_name(), get_language())  # The library's labels are translated.
    if key not in BLANK_FORM_FIELDS:
        form = PostCommentForm(post)
        BLANK_FORM_FIELDS[key] = render_to_string("comments/form_fields.html", {"form": form})
    return BLANK_FORM_FIELDS[key]


BLANK_FORM_FIELDS = {}
setting_changed.connect(lambda **kwargs: BLANK_FORM_FIELDS.clear(), weak=False)


# The routes of a cached page's form, by what it is on: without JavaScript, and its fresh fields.
FORM_ROUTES = {
    "blog.post": ("comments-write", "comments-form-fields"),
    "blog.page": ("comments-write-page", "comments-form-fields-page"),
}


@register.simple_tag
def comment_form_urls(post):
    write, fields = FORM_ROUTES[post._meta.label_lower]
    return {"write": reverse(write, args=[post.pk]), "fields": reverse(fields, args=[post.pk])}


register.filter("comments_are_open", comments_are_open)


@register.filter
def commentable_noun(post):
    """ "post" or "page": what the comments are on, as the reader calls it."""
    return post._meta.verbose_name


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    """Links in emails, which have no request to borrow a scheme and host from: https where
    the site sends plain http there, http where it serves it (`make serve`, DEBUG)."""
    site = context.get("site")
    domain = getattr(site, "domain", None) or settings.QUIRE_DOMAIN
    scheme = "https" if settings.SECURE_SSL_REDIRECT else "http"
    return f"{scheme}://{domain}{path}"
