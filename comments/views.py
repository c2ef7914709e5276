"""Thin wrappers around the library's views: they add what makes the flow ours."""

import datetime
import logging
import re

from django.conf import settings
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import DatabaseError, transaction
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from . import links
from .forms import (
    READER_FIELDS,
    PostCommentForm,
    filled_a_honeypot,
    is_an_old_form,
    sent_form,
    sent_text,
    text_field_name,
)
from .models import BotCheck
from .selectors import (
    COMMENTABLE,
    comment_is_caught_as_spam,
    comment_is_public,
    comment_page_start,
    comment_target,
    commentable_model,
    comments_are_open,
    post_comments,
    public_target,
    visible_comments,
)
from .services import bot_count
from .session import own_comment_ids, posters_own_comments
from .spam import form_release, rate_limit_exceeded
from .trust import browser_key_give, browser_key_remember
from .xtd import (
    CommentSecurityForm,
    XtdComment,
    mute_key_is_valid,
    mute_view,
    post_comment_view,
    reply_view,
)

logger = logging.getLogger(__name__)

# How long after posting the poster's own "published / awaiting moderation" message is shown.
POSTED_MESSAGE_WINDOW = datetime.timedelta(minutes=30)


# At most 18 ASCII digits: every database's integer takes it (shared with comments.urls).
PK_PATTERN = "[0-9]{1,18}"


def as_pk(text):
    """A primary key from a query string, or None."""
    return int(text) if re.fullmatch(PK_PATTERN, text) else None


def _open_post(post_pk, target="blog.post"):
    """The published post (or page) with comments open that a form is for, or None."""
    post = public_target(COMMENTABLE.get(target), post_pk)
    return post if post is not None and comments_are_open(post) else None


def _named_in(data):
    """(kind, primary key) of what a posted form names, if comments go on that kind; else None."""
    kind, pk = data.get("content_type"), as_pk(data.get("object_pk", ""))
    return (kind, pk) if kind in COMMENTABLE and pk is not None else None


def _write_page(request, post, *, data=None, problem="", status=200):
    """A fresh form (this reader's CSRF token, a new signed timestamp) with their text in it."""
    initial = {name: data[name] for name in READER_FIELDS if data and name in data}
    if data:
        # Into the real field, whichever the reader's form had it in; the honeypot stays empty.
        initial[text_field_name()] = sent_text(data)
    if data and data.get("followup"):
        initial["followup"] = True
    form = PostCommentForm(post, initial=initial)
    if data:
        # Read over and sent again, it must not be called too quick: it was written before.
        form.opened_seconds_ago(settings.QUIRE_COMMENTS_MIN_FILL_SECONDS)
    context = {"form": form, "post": post, "problem": problem}
    return render(request, "comments/write.html", context, status=status)


@never_cache
@csrf_protect
def post_comment(request):
    """The library's post view behind a per-IP rate limit; every refusal keeps the reader's text.

    A form that outlived COMMENTS_TIMEOUT, or whose signature fails, comes back renewed with
    the text in it: nothing is stored, and the renewed form meets every check again.
    """
    if request.method != "POST":
        # Reached by a reload, a typed address or a crawler following the form: a page that
        # says where comments are written, not a blank 405.
        response = render(request, "comments/post_only.html", status=405)
        response["Allow"] = "POST"
        return response
    try:
        return _post_comment(request)
    except DatabaseError:
        # Not even the post could be read: a page that needs no database, with the text.
        logger.exception("Could not take a comment: the database is unavailable")
        text = sent_text(request.POST)[: settings.COMMENT_MAX_LENGTH * 2]
        return render(request, "comments/unsaved.html", {"text": text}, status=503)


def _post_comment(request):
    named = _named_in(request.POST)
    target = _open_post(named[1], named[0]) if named else None  # Forged names give None.
    if rate_limit_exceeded(request):
        bot_count(defence=BotCheck.RATE_LIMIT)
        if target is None:
            return _rejected(request, "rate_limit", status=429)
        return _write_page(request, target, data=request.POST, problem="rate_limit", status=429)
    if filled_a_honeypot(request.POST):
        # Counted here; the library refuses it (PostCommentForm.security_errors).
        bot_count(defence=BotCheck.HONEYPOT)
    elif named and target is None:
        return _closed(request, *named)  # Comments closed, or the post went, meanwhile.
    elif is_an_old_form(request.POST):
        # A bot that knows only the usual name, or a reader's tab from before it changed: the text
        # comes back in a fresh form, so a person loses nothing and a bot gains nothing.
        bot_count(defence=BotCheck.OLD_FORM)
        if target is None:
            return _rejected(request, "rejected", status=400)
        return _write_page(request, target, data=request.POST, problem="old_form", status=400)
    elif target is not None and CommentSecurityForm(target, data=request.POST).security_errors():
        bot_count(defence=BotCheck.FORGED_FORM)  # Or a reader's long pause: they get it back.
        return _write_page(request, target, data=request.POST, problem="expired", status=400)
    browser_key_give(request)
    try:
        with transaction.atomic():  # A comment is stored whole, or not at all.
            own = posters_own_comments.set(tuple(own_comment_ids(request)))
            try:
                response = browser_key_remember(request, post_comment_view(request))
            finally:
                posters_own_comments.reset(own)
    except DatabaseError:
        logger.exception("Could not store a comment on post %s", request.POST.get("object_pk"))
        form_release(sent_form(request.POST))
        if target is None:
            raise
        return _write_page(request, target, data=request.POST, problem="unsaved", status=503)
    if response.status_code == 400:
        # Honeypot, forged target, closed post, or spam: one calm page, no details.
        return _rejected(request, "rejected", status=400, post=target)
    return response


def refused_for_csrf(request):
    """A comment the CSRF check refused (cookies blocked, or a token renewed meanwhile): nothing
    stored, the text back in a fresh form with a token of its own; None if it names no post."""
    named = _named_in(request.POST)
    target = _open_post(named[1], named[0]) if named else None
    if target is None or filled_a_honeypot(request.POST):
        return None
    return _write_page(request, target, data=request.POST, problem="cookie", status=403)


def _rejected(request, reason, *, status, post=None):
    text = sent_text(request.POST)[: settings.COMMENT_MAX_LENGTH]
    banned = getattr(request, "comment_refusal", None)
    context = {"reason": "banned" if banned else reason, "text": text, "ban_reason": banned}
    return render(request, "comments/rejected.html", {**context, "post": post}, status=status)


def _closed(request, target, post_pk):
    """Comments closed, or the post went, while the reader wrote: nothing stored, text back."""
    post = public_target(COMMENTABLE.get(target), post_pk)
    return _rejected(request, "closed", status=403 if post else 404, post=post)


@never_cache
@csrf_exempt  # Stores nothing: it turns a cached page's form into a fresh one.
@require_http_methods(["GET", "HEAD", "POST"])
def write(request, post_pk, target="blog.post"):
    """The comment page: a fresh form for a post (or page), as Blogger's comment page is.

    The post page may come from the shared cache, so its form carries no CSRF token and no
    signed timestamp. Without JavaScript it posts here, and the reader sends the fresh form.
    """
    post = _open_post(post_pk, target)
    if post is None:
        if request.method == "POST" and not filled_a_honeypot(request.POST):
            return _closed(request, target, post_pk)
        raise Http404("Comments are not open on this post.")
    if request.method != "POST":
        return _write_page(request, post)
    if filled_a_honeypot(request.POST):
        bot_count(defence=BotCheck.HONEYPOT)
        return _rejected(request, "rejected", status=400, post=post)
    # An old cached page sent its text under the usual name: it comes back in the real field.
    return _write_page(request, post, data=request.POST, problem="confirm")


@never_cache
@require_GET
def form_fields(request, post_pk, target="blog.post"):
    """The signed fields and CSRF token a cached page's form lacks, fetched as the reader writes."""
    post = _open_post(post_pk, target)
    if post is None:
        raise Http404("Comments are not open on this post.")
    security = PostCommentForm(post).generate_security_data()
    fields = {"csrfmiddlewaretoken": get_token(request), **security}
    # The text's name too: a page shown before a key rotation renames its field to today's.
    answer = {"action": reverse("comments-post-comment"), "fields": fields}
    return JsonResponse({**answer, "text_field": text_field_name()})


def comment_posted(request):
    """Where the library sends the poster: back to the post, with a message about the comment."""
    key = request.GET.get("c", "")
    comment_pk = as_pk(key)
    if comment_pk is None:
        return confirmation_requested(request, key)
    comment = XtdComment.norel_objects.filter(pk=comment_pk).first()
    post = comment_target(comment) if comment is not None else None
    if post is None:
        raise Http404("No such comment.")
    is_own = comment.pk in own_comment_ids(request)
    is_visible = comment_is_public(comment)
    if not (is_visible or is_own):
        # As for a comment that never existed: no stranger learns that it waits, or where.
        raise Http404("No such comment.")
    is_own_recent = is_own and timezone.now() - comment.submit_date < POSTED_MESSAGE_WINDOW
    if is_own_recent and is_visible:
        messages.success(request, "Thank you! Your comment has been published.")
    elif is_own_recent and comment_is_caught_as_spam(comment):
        # Honest without coaching the spammer: it waits, if not where ordinary comments do.
        messages.info(request, "Your comment is being held for a moderator to check.")
    elif is_own_recent and not comment.is_removed:
        # The poster alone sees their waiting comment on the page (own_comment_ids).
        messages.info(
            request,
            "Thank you! Your comment is awaiting moderation "
            "and will appear once a moderator has approved it.",
        )
    # The page of the thread that holds it, when the thread takes more than one.
    start = comment_page_start(post=post, comment=comment, also_pks=own_comment_ids(request))
    page = f"?comments={start}" if start else ""
    anchor = f"#c{comment.pk}" if is_visible else "#comments"
    return redirect(post.get_absolute_url() + page + anchor)


def confirmation_requested(request, key):
    """With QUIRE_COMMENTS_CONFIRM_EMAIL on, nothing is saved until the emailed link is followed."""
    try:
        app_model, post_pk = signing.loads(key).split(":")
    except (signing.BadSignature, ValueError):
        raise Http404("No such comment.") from None
    post = public_target(COMMENTABLE.get(app_model), as_pk(post_pk))
    if post is None:
        raise Http404("No such comment.")
    return render(request, "comments/posted.html", {"target": post})


def reply(request, cid):
    """The library's reply page, only for public comments and the visitor's own waiting ones."""
    visible = visible_comments(also_pks=own_comment_ids(request))
    comment = get_object_or_404(visible, pk=cid)
    if comment_target(comment) is None:  # On a post or page the public may see.
        raise Http404("No such comment.")
    return reply_view(request, cid)


def comment_redirect(request, content_type_id, object_pk):
    """Where comment.get_absolute_url() points: the page of the thread that shows ?c=<id>.

    The browser keeps the #c<id> across the redirect. Replaces the library's generic redirect,
    which sent anyone to drafts and scheduled posts.
    """
    try:
        model = commentable_model(content_type_id)
    except ContentType.DoesNotExist:
        model = None
    post = public_target(model, as_pk(object_pk))
    if post is None:
        raise Http404("No such post.")
    comment_pk = as_pk(request.GET.get("c", ""))
    own = own_comment_ids(request)
    comment = (
        post_comments(post=post, also_pks=own).filter(pk=comment_pk).first()
        if comment_pk is not None
        else None
    )
    start = comment and comment_page_start(post=post, comment=comment, also_pks=own)
    return redirect(post.get_absolute_url() + (f"?comments={start}" if start else ""))


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def moderate(request, token):
    """A decision link from the moderators' email: GET asks, POST decides (once)."""
    try:
        decision, comment, moderator = links.decision_from(token)
    except links.LinkRefused as refusal:
        context = {"problem": str(refusal)}
        return render(request, "comments/moderate.html", context, status=410)
    label = links.DECISIONS[decision][0]
    context = {"comment": comment, "decision": decision, "label": label, "moderator": moderator,
               "reasons": comment.hold_reasons.all(), "post": _post_of(comment)}  # fmt: skip
    if request.method == "POST":
        context["done"] = links.decide(decision=decision, comment=comment, moderator=moderator)
        context["already"] = not context["done"]
    elif not links.comment_is_waiting(comment):
        context["already"] = True
    return render(request, "comments/moderate.html", context)


def _post_of(comment):
    return comment_target(comment, public=False)


@never_cache
@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
def mute(request, key):
    """The unsubscribe link asks first: mail scanners (SafeLinks and the like) open every link
    in a message, and would unsubscribe readers who never chose to."""
    if request.method == "POST":
        return mute_view(request, key)
    if not mute_key_is_valid(key):
        return HttpResponseBadRequest("This unsubscribe link is not valid.")
    return render(request, "comments/mute_confirm.html")
