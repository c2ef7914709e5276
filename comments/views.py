"""Thin wrappers around the library's views: they add what makes the flow ours."""

import datetime
import re

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from blog.models import Post

from .selectors import comment_is_public, comment_page_start, post_comments, visible_comments
from .session import own_comment_ids
from .spam import rate_limit_exceeded
from .xtd import XtdComment, post_comment_view, reply_view

# How long after posting the poster's own "published / awaiting moderation" message is shown.
POSTED_MESSAGE_WINDOW = datetime.timedelta(minutes=30)


# At most 18 ASCII digits: every database's integer takes it (shared with comments.urls).
PK_PATTERN = "[0-9]{1,18}"


def as_pk(text):
    """A primary key from a query string, or None."""
    return int(text) if re.fullmatch(PK_PATTERN, text) else None


@csrf_protect
@require_POST
def post_comment(request):
    """The library's post view behind a per-IP rate limit, with readable refusals."""
    if rate_limit_exceeded(request):
        return render(request, "comments/rejected.html", {"reason": "rate_limit"}, status=429)
    response = post_comment_view(request)
    if response.status_code == 400:
        # Honeypot, expired or forged form, closed post, or spam: one calm page, no details.
        return render(request, "comments/rejected.html", {"reason": "rejected"}, status=400)
    return response


def comment_posted(request):
    """Where the library sends the poster: back to the post, with a message about the comment."""
    key = request.GET.get("c", "")
    comment_pk = as_pk(key)
    if comment_pk is None:
        return confirmation_requested(request, key)
    try:
        comment = XtdComment.norel_objects.get(pk=comment_pk)
        post = Post.objects.published().get(pk=int(comment.object_pk))
    except (ValueError, XtdComment.DoesNotExist, Post.DoesNotExist):
        raise Http404("No such comment.") from None
    is_own_recent = (
        comment.pk in own_comment_ids(request)
        and timezone.now() - comment.submit_date < POSTED_MESSAGE_WINDOW
    )
    is_visible = comment_is_public(comment)
    if is_own_recent and is_visible:
        messages.success(request, "Thank you! Your comment has been published.")
    elif is_own_recent and not comment.is_removed:
        # The poster alone sees their waiting comment on the page (own_comment_ids).
        messages.info(
            request,
            "Thank you! Your comment is awaiting moderation "
            "and will appear once a moderator has approved it.",
        )
    anchor = f"#c{comment.pk}" if is_visible else "#comments"
    return redirect(post.get_absolute_url() + anchor)


def confirmation_requested(request, key):
    """With QUIRE_COMMENTS_CONFIRM_EMAIL on, nothing is saved until the emailed link is followed."""
    try:
        app_model, post_pk = signing.loads(key).split(":")
        post = Post.objects.published().get(pk=int(post_pk))
    except (signing.BadSignature, ValueError, Post.DoesNotExist):
        raise Http404("No such comment.") from None
    if app_model != "blog.post":
        raise Http404("No such comment.")
    return render(request, "comments/posted.html", {"target": post})


def reply(request, cid):
    """The library's reply page, only for public comments and the visitor's own waiting ones."""
    post_type = ContentType.objects.get_for_model(Post)
    visible = visible_comments(also_pks=own_comment_ids(request))
    comment = get_object_or_404(visible.filter(content_type=post_type), pk=cid)
    if not Post.objects.published().filter(pk=int(comment.object_pk)).exists():
        raise Http404("No such comment.")
    return reply_view(request, cid)


def comment_redirect(request, content_type_id, object_pk):
    """Where comment.get_absolute_url() points: the page of the thread that shows ?c=<id>.

    The browser keeps the #c<id> across the redirect. Replaces the library's generic redirect,
    which sent anyone to drafts and scheduled posts.
    """
    post_pk = as_pk(object_pk)
    if content_type_id != ContentType.objects.get_for_model(Post).pk or post_pk is None:
        raise Http404("No such post.")
    post = get_object_or_404(Post.objects.published(), pk=post_pk)
    comment_pk = as_pk(request.GET.get("c", ""))
    own = own_comment_ids(request)
    comment = (
        post_comments(post=post, also_pks=own).filter(pk=comment_pk).first()
        if comment_pk is not None
        else None
    )
    start = comment and comment_page_start(post=post, comment=comment, also_pks=own)
    return redirect(post.get_absolute_url() + (f"?comments={start}" if start else ""))
