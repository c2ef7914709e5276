"""Links from one imported post to another, pointed at the new addresses once all are in."""

import re
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve

from blog.models import Page, Post, PostAddress, month_bounds

from .addresses import split
from .models import LegacyAddress

HREF = re.compile(r"""(href=)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)
BATCH = 500


class OldHosts:
    """The hosts links to the old blog were written with: its own, with and without www.; or,
    for a Blogger export that names none (Takeout's), any blogspot.com address whose path is
    one the import kept, since that blog was somewhere there."""

    def __init__(self, hosts, *, platform):
        self.names = set()
        for host in hosts:
            bare = host.removeprefix("www.")
            self.names |= {bare, f"www.{bare}"}
        self.suffixes = (".blogspot.com",) if platform == "blogger" and not hosts else ()

    def __contains__(self, host):
        return host in self.names or bool(self.suffixes and host.endswith(self.suffixes))

    def __bool__(self):
        return bool(self.names or self.suffixes)

    def mentioned_in(self, text):
        return any(host in text for host in (*self.names, *self.suffixes))


def new_address(url, hosts):
    """Where an old link to one of our imported posts, pages or labels points now, or None."""
    parts = urlsplit(url.replace("&amp;", "&"))
    if parts.netloc.lower() not in hosts:
        return None
    path, query = split(url.replace("&amp;", "&"))
    if query:
        address = LegacyAddress.objects.filter(path=LegacyAddress.normalise("/", query)).first()
        return address.target() if address else None
    post_address = PostAddress.objects.filter(path=path).select_related("post").first()
    if post_address is not None:
        target = post_address.post.get_absolute_url()
    elif (address := LegacyAddress.objects.filter(path=path).first()) is not None:
        target = address.target()
    else:  # The old address is the new one (WordPress's /2024/09/slug/): the host alone goes.
        target = path if is_our_page(path) else None
    if target and parts.fragment:
        target += f"#{parts.fragment}"
    return target


def is_our_page(path):
    try:
        match = resolve(path)
    except Resolver404:
        return False
    if match.view_name == "blog:page_detail":
        return Page.objects.filter(slug=match.kwargs["slug"], is_published=True).exists()
    return _post_of(match) is not None


def post_at(path):
    """The post (of any status) whose own address here this path is, or None."""
    try:
        return _post_of(resolve(path))
    except Resolver404:
        return None


def _post_of(match):
    if match.view_name != "blog:post_detail":
        return None
    try:
        start, end = month_bounds(match.kwargs["year"], match.kwargs["month"])
    except (ValueError, OverflowError):
        return None
    posts = Post.objects.filter(published_at__gte=start, published_at__lt=end)
    return posts.filter(slug=match.kwargs["slug"]).order_by("-published_at", "-pk").first()


def rewrite_body(body, hosts):
    count = 0

    def replace(match):
        nonlocal count
        target = new_address(match.group(3), hosts)
        if target is None:
            return match.group(0)
        count += 1
        return f"{match.group(1)}{match.group(2)}{target}{match.group(2)}"

    return HREF.sub(replace, body), count


def rewrite_links(*, loader):
    hosts = OldHosts(loader.old_hosts, platform=loader.platform)
    if not hosts:
        return
    total = 0
    for kind, model in (("post", Post), ("page", Page)):
        items = {}
        for item in loader.provenance.items(kind):
            items[item.object_id] = item
            if len(items) >= BATCH:
                total += rewrite_batch(model, items, hosts, loader.provenance)
                items = {}
        total += rewrite_batch(model, items, hosts, loader.provenance)
    if total:
        loader.ledger.note(
            f"{total} links between imported posts now point at their new addresses."
        )


def rewrite_batch(model, items, hosts, provenance):
    """Rewrite the links of these items' objects; one the author had not edited is still as
    the import left it afterwards (an edited one stays the author's)."""
    total = 0
    for obj in model.objects.filter(pk__in=[int(pk) for pk in items]):
        if not hosts.mentioned_in(obj.body):
            continue
        body, count = rewrite_body(obj.body, hosts)
        if count:
            item = items[str(obj.pk)]
            edited = provenance.edited_here(item, obj)
            obj.body = body
            obj.save()
            if not edited:
                provenance.remember_written(item, obj)
            total += count
    return total
