"""The staff side of revisions and preview links, hung on PostAdmin's URLs.

Each view takes the post's ModelAdmin first, for its permissions, object lookup and context.
"""

from functools import partial

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import dateformat, timezone
from django.views.decorators.http import require_POST

from . import previews, revisions

HISTORY_PER_PAGE = 50
# The list shows no words: a post saved a thousand times must not load every body.
UNLISTED_WORDS = ("body", "excerpt", "labels")


def post_admin_urls(model_admin):
    """Put before the ModelAdmin's own: its "<path:object_id>/" would swallow these."""
    name = f"{model_admin.opts.app_label}_{model_admin.opts.model_name}"

    def wrap(view, *, post_only=True):
        bound = partial(view, model_admin)
        return model_admin.admin_site.admin_view(require_POST(bound) if post_only else bound)

    return [
        path("<path:object_id>/autosave/", wrap(autosave), name=f"{name}_autosave"),
        path(
            "<path:object_id>/preview-changes/",
            wrap(preview_changes),
            name=f"{name}_preview_changes",
        ),
        path(
            "<path:object_id>/revisions/<int:revision_id>/preview/",
            wrap(revision_preview, post_only=False),
            name=f"{name}_revision_preview",
        ),
        path(
            "<path:object_id>/revisions/<int:revision_id>/restore/",
            wrap(revision_restore),
            name=f"{name}_revision_restore",
        ),
        path(
            "<path:object_id>/preview-links/",
            wrap(preview_link_create),
            name=f"{name}_preview_link_create",
        ),
        path(
            "<path:object_id>/preview-links/<int:link_id>/revoke/",
            wrap(preview_link_revoke),
            name=f"{name}_preview_link_revoke",
        ),
    ]


def _post_for(model_admin, request, object_id, *, change=True):
    post = model_admin.get_object(request, unquote(object_id))
    if post is None:
        raise Http404("No such post.")
    allowed = (
        model_admin.has_change_permission(request, post)
        if change
        else model_admin.has_view_or_change_permission(request, post)
    )
    if not allowed:
        raise PermissionDenied
    return post


class WordsForm(forms.Form):
    """The words of the change form, as typed: nothing is checked that could lose them."""

    title = forms.CharField(required=False, strip=False)
    body = forms.CharField(required=False, strip=False)
    excerpt = forms.CharField(required=False, strip=False)
    tags = forms.CharField(required=False, strip=False)

    def words(self):
        data = self.cleaned_data
        return {
            "title": data["title"],
            "body": data["body"],
            "excerpt": data["excerpt"],
            "labels": data["tags"],
        }


def _words(request):
    form = WordsForm(request.POST)
    form.is_valid()  # Every field is optional text: always valid.
    return form.words()


def autosave(model_admin, request, object_id):
    """Keep the words being typed in the writer's autosave, or throw it away."""
    post = _post_for(model_admin, request, object_id)
    if request.POST.get("discard"):
        revisions.revision_autosave_discard(post=post, author=request.user)
        return JsonResponse({"discarded": True})
    revision = revisions.revision_autosave(post=post, author=request.user, **_words(request))
    return JsonResponse({"saved_at": revision.created_at.isoformat()})


def preview_changes(model_admin, request, object_id):
    """The change form's words as the post page would show them, stored as the writer's
    autosave (as WordPress does) so that the post itself stays as readers see it."""
    post = _post_for(model_admin, request, object_id)
    revision = revisions.revision_autosave(post=post, author=request.user, **_words(request))
    url = reverse(
        f"admin:{model_admin.opts.app_label}_{model_admin.opts.model_name}_revision_preview",
        kwargs={"object_id": post.pk, "revision_id": revision.pk},
    )
    return redirect(url)  # A GET of its own, so that reloading the preview asks nothing.


def revision_preview(model_admin, request, object_id, revision_id):
    post = _post_for(model_admin, request, object_id)
    revision = get_object_or_404(post.revisions.select_related("author"), pk=revision_id)
    revision.post = post
    context = {"post": revisions.post_as_revision(revision), "revision": revision}
    return TemplateResponse(request, "desk/preview_changes.html", {**context, "is_preview": True})


def post_history(model_admin, request, object_id):
    """Every revision of a post, a page at a time; any two compared; any one restored."""
    post = _post_for(model_admin, request, object_id, change=False)
    listed = revisions.history_for(post).defer(
        *UNLISTED_WORDS, *(f"restored_from__{field}" for field in UNLISTED_WORDS)
    )
    page = Paginator(listed, HISTORY_PER_PAGE).get_page(request.GET.get("page"))
    older, newer = _chosen_pair(request, post)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "original": post,
        "title": f"History of “{post}”",
        "revisions": page.object_list,
        "page": page,
        "older": older,
        "newer": newer,
        "changes": revisions.compare(older, newer) if older and newer else None,
        "can_restore": model_admin.has_change_permission(request, post),
        "action_log_url": f"{request.path}?log=1",
    }
    return TemplateResponse(request, "admin/desk/post_history.html", context)


def _chosen_pair(request, post):
    """The two revisions asked for (older first), from any page; by default the two newest."""
    history = revisions.history_for(post)
    try:
        wanted = [int(request.GET[key]) for key in ("from", "to")]
    except (KeyError, ValueError):
        chosen = list(history[:2])[::-1]
        return chosen if len(chosen) == 2 else (None, None)
    by_id = history.in_bulk(wanted)
    if not all(pk in by_id for pk in wanted):  # Another post's, or gone.
        return None, None
    older, newer = sorted((by_id[pk] for pk in wanted), key=lambda r: (r.created_at, r.pk))
    return older, newer


def revision_restore(model_admin, request, object_id, revision_id):
    post = _post_for(model_admin, request, object_id)
    revision = get_object_or_404(revisions.restorable(post), pk=revision_id)
    revisions.post_restore_revision(post=post, revision=revision, user=request.user)
    when = dateformat.format(timezone.localtime(revision.created_at), "F j, Y, H:i")
    restored = f"Restored the words of {when}"
    messages.success(
        request, f"{restored}: readers see them now." if post.is_published else f"{restored}."
    )
    return redirect(reverse(f"admin:{post._meta.app_label}_post_change", args=(post.pk,)))


class PreviewLinkForm(forms.Form):
    preview_link_days = forms.TypedChoiceField(
        choices=[(days, days) for days in previews.LIFETIME_DAYS], coerce=int
    )


def preview_link_create(model_admin, request, object_id):
    post = _post_for(model_admin, request, object_id)
    change_url = reverse(f"admin:{post._meta.app_label}_post_change", args=(post.pk,))
    form = PreviewLinkForm(request.POST)
    if post.is_published:
        messages.error(request, "This post is public: share its own address.")
    elif not form.is_valid():
        messages.error(request, "Choose how long the link should work.")
    else:
        link = previews.preview_link_create(
            post=post, user=request.user, days=form.cleaned_data["preview_link_days"]
        )
        url = request.build_absolute_uri(previews.preview_link_path(link))
        messages.success(request, f"Preview link made: {url}")
    return redirect(f"{change_url}#preview-links")


def preview_link_revoke(model_admin, request, object_id, link_id):
    post = _post_for(model_admin, request, object_id)
    link = get_object_or_404(post.preview_links.all(), pk=link_id)
    previews.preview_link_revoke(link=link)
    messages.success(request, "Preview link withdrawn: it no longer opens.")
    change_url = reverse(f"admin:{post._meta.app_label}_post_change", args=(post.pk,))
    return redirect(f"{change_url}#preview-links")
