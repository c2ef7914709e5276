"""Blogger's two exports: the classic Atom "Back up content" file and Takeout's feed.atom.

Classic entries say their kind with a category in the ...#kind scheme; Takeout entries with
blogger:type and blogger:status. Both are told apart per entry, so either file just works.
"""

import re

from django.conf import settings

from ..records import (
    AuthorRecord,
    BlogRecord,
    CommentRecord,
    PostRecord,
    SkippedRecord,
    parse_datetime,
)
from .safexml import elements

ATOM = "{http://www.w3.org/2005/Atom}"
TIME_ZONE_SETTING = ".settings.BLOG_TIME_ZONE"
KIND_SCHEME = "http://schemas.google.com/g/2005#kind"
LABEL_SCHEME = "http://www.blogger.com/atom/ns#"
NOREPLY = "noreply@blogger.com"
TAKEOUT_STATUS = {
    "LIVE": "published",
    "PUBLISHED": "published",
    "DRAFT": "draft",
    "SCHEDULED": "scheduled",
    "PENDING": "pending",
    "SOFT_TRASHED": "trash",
    "TRASHED": "trash",
    "DELETED": "trash",
    "SPAM": "spam",
}


def local(tag):
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def child(elem, name, atom=True):
    """The first child with this local name: in Atom's namespace, or in any other."""
    for sub in elem:
        if local(sub.tag) == name and (sub.tag.startswith(ATOM) == atom):
            return sub
    return None


def text_of(elem, name, atom=True):
    found = child(elem, name, atom)
    return (found.text or "").strip() if found is not None else ""


def blog_id(entry_id):
    match = re.search(r"blog-(\d+)", entry_id or "")
    return match.group(1) if match else ""


def read(path, mends, attachments=None):
    """Yield a BlogRecord, then one record per entry, in file order. (Blogger's export has no
    attachments: `attachments` is WordPress' reader's.)"""
    blog = None
    root = None
    for event, elem in elements(path, mends):
        if event == "start":
            if root is None:
                root = elem
                if elem.tag != f"{ATOM}feed":
                    return
            continue
        if elem.tag == f"{ATOM}entry" and blog is None:
            blog = feed_record(root)
            yield blog
        if elem.tag == f"{ATOM}entry":
            yield entry_record(elem, blog)
            root.clear()
    if blog is None and root is not None and root.tag == f"{ATOM}feed":
        yield feed_record(root)


def feed_record(feed):
    alternate = next(
        (
            link.get("href", "")
            for link in feed.findall(f"{ATOM}link")
            if link.get("rel") == "alternate"
        ),
        "",
    )
    return BlogRecord(
        source=f"blogger:{blog_id(text_of(feed, 'id')) or text_of(feed, 'id')}",
        base_url=alternate,
        title=text_of(feed, "title"),
    )


def entry_kind(entry):
    """post, page, comment or another kind (settings, template...), and the Takeout status."""
    kind = text_of(entry, "type", atom=False)
    if kind:
        return kind.lower(), TAKEOUT_STATUS.get(text_of(entry, "status", atom=False).upper())
    for category in entry.findall(f"{ATOM}category"):
        if category.get("scheme") == KIND_SCHEME:
            return category.get("term", "").rsplit("#", 1)[-1], None
    return "", None


def entry_author(entry):
    author = child(entry, "author")
    if author is None:
        return AuthorRecord(original_id="anonymous", name="Anonymous")
    name = text_of(author, "name") or "Anonymous"
    email = text_of(author, "email")
    anonymous = text_of(author, "type", atom=False).upper() == "ANONYMOUS"
    uri = "" if anonymous else text_of(author, "uri")
    return AuthorRecord(
        original_id=uri or name,
        name=name,
        login=name,
        email="" if email == NOREPLY else email,
    )


def alternate_link(entry):
    for link in entry.findall(f"{ATOM}link"):
        if link.get("rel") == "alternate":
            return link.get("href", "")
    return ""


def entry_record(entry, blog):
    original_id = text_of(entry, "id")
    kind, status = entry_kind(entry)
    title = text_of(entry, "title")
    if kind not in ("post", "page", "comment"):
        reason = f"Blogger {kind or 'unknown'} entry: nothing a reader sees"
        zone = text_of(entry, "content").strip() if original_id.endswith(TIME_ZONE_SETTING) else ""
        if zone and zone != settings.TIME_ZONE:
            # Dates are kept as instants; the month in an address and the date header follow
            # this blog's zone, which may put a post written late at night on the next day.
            reason = (
                f"the old blog's time zone was {zone}, this blog's is {settings.TIME_ZONE} "
                "(QUIRE_TIME_ZONE): a post written near midnight may show the next or the "
                "previous day, and move month"
            )
        return SkippedRecord(kind="other", original_id=original_id, title=title, reason=reason)
    content = child(entry, "content")
    body = (content.text or "") if content is not None else ""
    raw_published = text_of(entry, "published")
    published_at = parse_datetime(raw_published)
    updated_at = parse_datetime(text_of(entry, "updated"))
    date_problem = "" if published_at or not raw_published else f"broken date {raw_published!r}"
    if kind == "comment":
        return comment_record(entry, original_id, body, published_at or updated_at, status)
    if status is None:
        control = child(entry, "control", atom=False)
        is_draft = control is not None and text_of(control, "draft", atom=False) == "yes"
        status = "draft" if is_draft else "published"
    addresses = [a for a in (alternate_link(entry), text_of(entry, "filename", atom=False)) if a]
    addresses += [
        link.get("href", "")
        for link in entry.findall(f"{ATOM}link")
        if link.get("rel") == "replies" and "atom" in link.get("type", "")
    ]
    return PostRecord(
        original_id=original_id,
        title=title,
        body=body,
        is_page=kind == "page",
        status=status,
        published_at=published_at or updated_at,
        updated_at=updated_at,
        date_problem=date_problem,
        labels=[
            c.get("term", "")
            for c in entry.findall(f"{ATOM}category")
            if c.get("scheme") != KIND_SCHEME and c.get("term", "").strip()
        ],
        author=entry_author(entry),
        old_addresses=addresses,
    )


def comment_record(entry, original_id, body, submitted_at, status):
    author = entry_author(entry)
    author_elem = child(entry, "author")
    post_id = text_of(entry, "parent", atom=False)
    parent_id = text_of(entry, "inReplyTo", atom=False)
    if not post_id:
        reply_to = child(entry, "in-reply-to", atom=False)
        post_id = reply_to.get("ref", "") if reply_to is not None else ""
        for link in entry.findall(f"{ATOM}link"):
            if link.get("rel") == "related":
                number = link.get("href", "").rstrip("/").rsplit("/", 1)[-1]
                parent_id = f"{original_id.rsplit('.post-', 1)[0]}.post-{number}"
    return CommentRecord(
        original_id=original_id,
        post_id=post_id,
        parent_id="" if parent_id == post_id else parent_id,
        name=author.name,
        email=author.email,
        url=text_of(author_elem, "uri")
        if author_elem is not None and author.original_id != author.name
        else "",
        text=body,
        submitted_at=submitted_at,
        status={"published": "approved", None: "approved"}.get(status, status),
    )
