"""Old addresses kept as redirects: posts' in blog.PostAddress, the rest in LegacyAddress."""

import re
from urllib.parse import parse_qsl, unquote, urlsplit

from django.utils.encoding import escape_uri_path

from blog.models import PostAddress

from .models import LegacyAddress
from .slugs import visible

# Feeds of the old blogs, and ours that take their place.
BLOGGER_FEEDS = {
    "/feeds/posts/default": "blog:feed_atom",
    "/feeds/posts/summary": "blog:feed_atom",
    "/feeds/posts/full": "blog:feed_atom",
    "/atom.xml": "blog:feed_atom",
    "/rss.xml": "blog:feed_rss",
    "/feeds/comments/default": "comments-feed",
    "/feeds/comments/summary": "comments-feed",
}
WORDPRESS_FEEDS = {
    "/feed/rss2/": "blog:feed_rss",
    "/feed/rss/": "blog:feed_rss",
    "/feed/atom/": "blog:feed_atom",
    "/rss/": "blog:feed_rss",
    "/comments/feed/atom/": "comments-feed",
}
QUERY_KEYS = ("p", "page_id", "attachment_id")
# Blogger's feed of one post's comments: /feeds/<post number>/comments/default.
POST_COMMENT_FEED = re.compile(r"^/feeds/\d+/comments/(?:default|full|summary)/?$")


def split(address):
    """(path, query) of an old address, the query only when it names a WordPress item."""
    parts = urlsplit(address.strip())
    query = dict(parse_qsl(parts.query))
    for name in QUERY_KEYS:
        if name in query and query[name].isdigit():
            return "/", f"{name}={query[name]}"
    path = visible(unquote(parts.path or ""))
    return (escape_uri_path(path) if path else ""), ""


def keep_feed_addresses(*, platform):
    for path, url_name in (BLOGGER_FEEDS if platform == "blogger" else WORDPRESS_FEEDS).items():
        LegacyAddress.objects.get_or_create(path=path, defaults={"url_name": url_name})


WORDPRESS_LABEL_BASES = {"category": ("category",), "post_tag": ("tag",)}


def keep_label_addresses(*, platform, tag, slug="", taxonomy="", term_id="", ancestors=()):
    """/search/label/Name on Blogger; on WordPress /category/x/ for a category and /tag/x/ for
    a tag (a category and a tag may share a slug: each keeps its own), and their feeds; a
    child category also under its ancestors' slugs (/category/parent/child/), as WordPress
    links it, and a category by its id (/?cat=12), a tag by its slug (/?tag=x)."""
    if platform == "blogger":
        name = escape_uri_path(tag.name)
        paths = {f"/search/label/{name}": "", f"/feeds/posts/default/-/{name}": "tag_feed"}
    else:
        slug = escape_uri_path(unquote(slug or tag.slug))
        bases = WORDPRESS_LABEL_BASES.get(taxonomy, ("category", "tag"))
        chain = "/".join([*(escape_uri_path(unquote(a)) for a in ancestors), slug])
        paths = {}
        for base in bases:
            for named in dict.fromkeys((slug, chain)):
                paths |= {f"/{base}/{named}/": "", f"/{base}/{named}/feed/": "tag_feed"}
        if taxonomy == "category" and term_id.isdigit():
            paths[LegacyAddress.normalise("/", f"cat={term_id}")] = ""
        elif taxonomy == "post_tag":
            paths[LegacyAddress.normalise("/", f"tag={slug}")] = ""
    for path, feed in paths.items():
        url_name = "blog:tag_feed_atom" if feed else "blog:tag_detail"
        LegacyAddress.objects.update_or_create(
            path=path, defaults={"tag": tag, "url_name": url_name}
        )


def address_rows(*, obj, addresses, is_page):
    """The LegacyAddress and PostAddress rows for an entry's old addresses, not yet saved."""
    current = obj.get_absolute_url()
    field = "page" if is_page else "post"
    legacy, post_paths = {}, {}
    for address in addresses:
        path, query = split(address)
        if query:
            legacy[LegacyAddress.normalise("/", query)] = ""
        elif path in ("", "/") or path == current:
            continue
        elif POST_COMMENT_FEED.match(path) and not is_page:
            legacy[path] = "comments-post-feed"
        elif is_page:
            legacy[path] = ""
        else:
            post_paths[path] = True
    return (
        [LegacyAddress(path=path, url_name=name, **{field: obj}) for path, name in legacy.items()],
        [PostAddress(path=path, post=obj) for path in post_paths],
    )


def insert_addresses(legacy, post_addresses):
    """New entries' addresses in one insert each; an address another entry holds stays its."""
    LegacyAddress.objects.bulk_create(legacy, ignore_conflicts=True)
    PostAddress.objects.bulk_create(post_addresses, ignore_conflicts=True)


def keep_addresses(*, obj, addresses, is_page, is_new):
    """Store each old address of a post or page, except where it already lives."""
    legacy, post_addresses = address_rows(obj=obj, addresses=addresses, is_page=is_page)
    if is_new:
        insert_addresses(legacy, post_addresses)
        return
    field = "page" if is_page else "post"
    for row in legacy:
        LegacyAddress.objects.update_or_create(
            path=row.path, defaults={field: obj, "url_name": row.url_name}
        )
    for row in post_addresses:
        PostAddress.objects.update_or_create(path=row.path, defaults={"post": obj})
