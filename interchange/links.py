"""Links from one imported post to another, pointed at the new addresses once all are in."""

import re
from urllib.parse import urlsplit

from blog.models import Page, Post, PostAddress

from .addresses import split
from .models import LegacyAddress

HREF = re.compile(r"""(href=)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)
BATCH = 500


def old_hosts(hosts):
    """A blog's host with and without www., as links to it were written."""
    out = set()
    for host in hosts:
        bare = host.removeprefix("www.")
        out |= {bare, f"www.{bare}"}
    return out


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
    else:
        address = LegacyAddress.objects.filter(path=path).first()
        target = address.target() if address else None
    if target and parts.fragment:
        target += f"#{parts.fragment}"
    return target


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
    hosts = old_hosts(loader.old_hosts)
    if not hosts:
        return
    total = 0
    for kind, model in (("post", Post), ("page", Page)):
        ids = []
        for item in loader.provenance.items(kind):
            ids.append(item.object_id)
            if len(ids) >= BATCH:
                total += rewrite_batch(model, ids, hosts)
                ids = []
        total += rewrite_batch(model, ids, hosts)
    if total:
        loader.ledger.note(
            f"{total} links between imported posts now point at their new addresses."
        )


def rewrite_batch(model, ids, hosts):
    total = 0
    for obj in model.objects.filter(pk__in=[int(pk) for pk in ids]):
        if not any(host in obj.body for host in hosts):
            continue
        body, count = rewrite_body(obj.body, hosts)
        if count:
            obj.body = body
            obj.save()
            total += count
    return total
