"""The one public page of the desk: a post read through a secret preview link."""

from django.db.models import prefetch_related_objects
from django.shortcuts import redirect, render

from . import previews

# The token is the key to the page: no search engine, shared cache or outbound link may see it.
PRIVATE_HEADERS = {
    "Cache-Control": "private, no-store",
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "no-referrer",
}


def preview_link(request, token):
    link = previews.link_for_token(token)
    if link is not None and link.post.is_published:
        response = redirect(link.post.get_absolute_url())
    elif link is None or not link.is_active:
        response = render(request, "desk/preview_link_gone.html", status=404)
    else:
        prefetch_related_objects([link.post], "tags")
        context = {"post": link.post, "link": link, "is_preview": True}
        response = render(request, "desk/preview_link.html", context)
    for header, value in PRIVATE_HEADERS.items():
        response[header] = value
    return response
