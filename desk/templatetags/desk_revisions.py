"""The change form's pieces for autosave and preview links (templates/admin/blog/post/)."""

from django import template
from django.urls import reverse

from desk import previews, revisions

register = template.Library()


@register.inclusion_tag("admin/desk/autosave_panel.html", takes_context=True)
def autosave_panel(context):
    """What autosave.js needs: where to save, the copy kept in this browser, and the writer's
    autosave on the server when it holds words written after the last save."""
    post, user = context.get("original"), context["request"].user
    offer = revisions.autosave_to_offer(post=post, author=user) if post else None
    return {
        "post": post,
        "autosave_url": reverse("admin:blog_post_autosave", args=(post.pk,)) if post else "",
        "storage_key": f"quire.desk.autosave.{user.pk}.{post.pk if post else 'new'}",
        "offer": offer
        and {
            "title": offer.title,
            "body": offer.body,
            "excerpt": offer.excerpt,
            "tags": offer.labels,
            "savedAt": offer.created_at.isoformat(),
        },
    }


@register.inclusion_tag("admin/desk/preview_links.html", takes_context=True)
def preview_links_panel(context, post):
    """Links to share a draft or a scheduled post; a public post has its own address."""
    request = context["request"]
    links = list(previews.active_links(post)) if not post.is_published else []
    for link in links:
        link.url = request.build_absolute_uri(previews.preview_link_path(link))
    return {
        "post": post,
        "links": links,
        "lifetimes": previews.LIFETIME_DAYS,
        "default_lifetime": previews.DEFAULT_LIFETIME_DAYS,
        "csrf_token": context.get("csrf_token"),
    }
