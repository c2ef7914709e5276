import functools
import json
from urllib.parse import quote

from django import template
from django.core.signals import setting_changed
from django.http import QueryDict
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from blog.rendering import absolute_addresses

register = template.Library()

SLUG_PLACEHOLDER = "slug-placeholder"
# What reverse() leaves unquoted (django.urls.resolvers, RFC 3986's sub-delimiters and more).
URL_SAFE = "!$&'()*+,;=/~:@"


@functools.lru_cache(maxsize=8)
def _tag_path_pattern(script_prefix, urlconf):
    return reverse("blog:tag_detail", kwargs={"slug": SLUG_PLACEHOLDER})


setting_changed.connect(lambda **kwargs: _tag_path_pattern.cache_clear(), weak=False)


@register.filter
def tag_path(tag):
    """What {% url 'blog:tag_detail' tag.slug %} gives, reversed once for a page's many labels."""
    if not tag.slug or "/" in tag.slug:  # Whatever reverse() makes of those, raise included.
        return reverse("blog:tag_detail", kwargs={"slug": tag.slug})
    pattern = _tag_path_pattern(get_script_prefix(), get_urlconf())
    return pattern.replace(SLUG_PLACEHOLDER, quote(tag.slug, safe=URL_SAFE))


@register.filter
def comment_count_line(count):
    """The count line as Blogger readers know it: "No comments", "1 comment", "5 comments"."""
    count = count or 0
    if count == 0:
        return "No comments"
    return f"{count} comment" if count == 1 else f"{count} comments"


JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def post_json_ld(context, post):
    """schema.org BlogPosting for search engines, escaped so a title cannot close the script."""
    request = context["request"]
    data = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": post.title,
        "description": post.summary,
        "datePublished": post.published_at.isoformat(),
        "dateModified": post.updated_at.isoformat(),
        "author": {
            "@type": "Person",
            "name": post.author.get_full_name() or post.author.get_username(),
        },
        "mainEntityOfPage": request.build_absolute_uri(post.get_absolute_url()),
        "keywords": [tag.name for tag in post.labels],
        "wordCount": len(post.body.split()),
    }
    if post.cover:
        data["image"] = request.build_absolute_uri(post.rendition_src())
    payload = json.dumps(data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))


register.filter("absolute_addresses", absolute_addresses)


@register.filter
def iso_datetime(value):
    """A <time datetime> value: HTML allows at most milliseconds, so drop the microseconds."""
    return value.replace(microsecond=0).isoformat() if value else ""


# The query parameters that choose what a page shows; anything else (utm_*, typos) is noise.
CANONICAL_PARAMETERS = ("q", "before", "after", "page")


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """This page's address without tracking or stray parameters, for canonical and og:url."""
    request = context["request"]
    kept = QueryDict(mutable=True)
    for name in CANONICAL_PARAMETERS:
        if name in request.GET:
            kept[name] = request.GET[name]
    query = f"?{kept.urlencode()}" if kept else ""
    return request.build_absolute_uri(request.path) + query
