"""WordPress eXtended RSS, versions 1.0 to 1.2: one record per author, term, item and comment.

Items are read one at a time and cleared, so a file of any size is read in flat memory.
"""

import datetime as dt
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings

from ..bodies import autop, wordpress_shortcodes
from ..records import (
    AddressRecord,
    AttachmentRecord,
    AuthorRecord,
    BlogRecord,
    CommentRecord,
    LabelRecord,
    PostRecord,
    SkippedRecord,
)
from .safexml import elements

QUIRE_NS = "urn:quire:export:1"
LABEL_TAXONOMIES = {"category", "post_tag"}
POST_STATUS = {
    "publish": "published",
    "future": "scheduled",
    "draft": "draft",
    "pending": "pending",
    "private": "private",
    "trash": "trash",
    "auto-draft": "trash",
    "inherit": "published",
}
COMMENT_STATUS = {"1": "approved", "0": "pending", "spam": "spam", "trash": "trash"}


def key(tag):
    """A tag as the prefix:name WordPress writes, whatever version its namespaces carry."""
    if not tag.startswith("{"):
        return tag
    uri, name = tag[1:].split("}", 1)
    if "wordpress.org/export" in uri:
        return f"excerpt:{name}" if "excerpt" in uri else f"wp:{name}"
    if uri == QUIRE_NS:
        return f"quire:{name}"
    return {
        "http://purl.org/rss/1.0/modules/content/": "content",
        "http://purl.org/dc/elements/1.1/": "dc",
    }.get(uri, uri) + f":{name}"


def fields(elem):
    """The element's children as {key: text}, the first of each."""
    out = {}
    for sub in elem:
        out.setdefault(key(sub.tag), sub.text or "")
    return out


def wp_time(text):
    """wp:post_date_gmt and friends; '0000-00-00 00:00:00' means none."""
    text = (text or "").strip()
    if not text or text.startswith("0000"):
        return None
    try:
        return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def rss_time(text):
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


def read(path, mends, attachments=None):
    """Yield a BlogRecord, then authors, labels, posts (with their comments) in file order.

    `attachments` (by id, from a first reading of the whole file) are what galleries and
    featured images name: WordPress lists an attachment wherever it likes, often after the
    post that shows it.
    """
    depth, channel, blog = 0, None, None
    offsets = {}  # The blog's clock against UTC, as its posts' two dates give it.
    for event, elem in elements(path, mends):
        if event == "start":
            depth += 1
            if depth == 1 and elem.tag != "rss":
                return
            if depth == 2 and elem.tag == "channel":
                channel = elem
            continue
        depth -= 1
        if depth != 2 or channel is None:
            continue
        name = key(elem.tag)
        if blog is None and name in ("item", "wp:author", "wp:category", "wp:tag", "wp:term"):
            blog = channel_record(channel)
            yield blog
        if name == "item":
            yield item_record(elem, blog, attachments or {}, offsets)
        elif name == "wp:author":
            f = fields(elem)
            login = f.get("wp:author_login", "").strip()
            yield AuthorRecord(
                original_id=login,
                login=login,
                name=f.get("wp:author_display_name", "").strip() or login,
                email=f.get("wp:author_email", "").strip(),
            )
        elif name in ("wp:category", "wp:tag", "wp:term"):
            yield term_record(name, fields(elem))
        elif name == "quire:address":
            f = fields(elem)
            yield AddressRecord(
                path=f.get("quire:path", "").strip(),
                post_id=f.get("quire:post", "").strip(),
                page_id=f.get("quire:page", "").strip(),
                label=f.get("quire:label", "").strip(),
                url_name=f.get("quire:url_name", "").strip(),
            )
        else:
            continue
        channel.clear()
    if blog is None and channel is not None:
        yield channel_record(channel)
    if blog is not None and (note := time_zone_note(offsets)):
        yield note


def time_zone_note(offsets):
    """WordPress writes each post's date twice, on the blog's clock and in UTC: where that clock
    is not this blog's, a post written near midnight shows on another day here (its instant is
    kept), as Blogger's import says of a blog's zone too."""
    zone = ZoneInfo(settings.TIME_ZONE)
    if all(moment.astimezone(zone).utcoffset() == offset for offset, moment in offsets.items()):
        return None  # The same clock (or no post says): nothing moves.
    clocks = ", ".join(f"UTC{format_offset(offset)}" for offset in sorted(offsets))
    return SkippedRecord(
        "other",
        "time zone",
        "The old blog's clock",
        f"the old blog's clock ran at {clocks} (its posts' own dates say so), this blog's is "
        f"{settings.TIME_ZONE} (QUIRE_TIME_ZONE): a post written near midnight may show the "
        "next or the previous day, and move month",
    )


def format_offset(offset):
    minutes = round(offset.total_seconds() / 60)
    sign = "+" if minutes >= 0 else "−"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def channel_record(channel):
    f = fields(channel)
    base = (f.get("wp:base_blog_url") or f.get("link") or "").strip()
    # Quire's own export numbers entries by its rows, WordPress by its own: a Quire blog at the
    # address a WordPress blog had must not have its ids read as the other's.
    platform = "quire" if f.get("generator", "").strip() == "Quire" else "wordpress"
    return BlogRecord(source=f"{platform}:{base.rstrip('/')}", base_url=base, title=f.get("title"))


def term_record(name, f):
    if name == "wp:category":
        taxonomy, slug, label = "category", f.get("wp:category_nicename"), f.get("wp:cat_name")
        parent = f.get("wp:category_parent", "")
    elif name == "wp:tag":
        taxonomy, slug, label = "post_tag", f.get("wp:tag_slug"), f.get("wp:tag_name")
        parent = ""
    else:
        taxonomy, slug = f.get("wp:term_taxonomy", ""), f.get("wp:term_slug")
        label, parent = f.get("wp:term_name"), f.get("wp:term_parent", "")
    slug, label = (slug or "").strip(), (label or "").strip() or (slug or "").strip()
    if taxonomy not in LABEL_TAXONOMIES:
        return SkippedRecord("other", f"{taxonomy}:{slug}", label, f"{taxonomy} term: not a label")
    return LabelRecord(
        original_id=f"{taxonomy}:{slug or label}",
        name=label,
        slug=slug,
        term_id=f.get("wp:term_id", "").strip(),
        parent=parent.strip() if taxonomy == "category" else "",
    )


def item_record(item, blog, attachments, offsets):
    f = fields(item)
    post_id = f.get("wp:post_id", "").strip()
    post_type = f.get("wp:post_type", "post").strip() or "post"
    title = f.get("title", "")
    meta = [fields(m) for m in item if key(m.tag) == "wp:postmeta"]
    if post_type == "attachment":
        return AttachmentRecord(
            original_id=post_id,
            title=title,
            url=f.get("wp:attachment_url", "").strip(),
            parent_id=f.get("wp:post_parent", "").strip(),
            alt=meta_value(meta, "_wp_attachment_image_alt"),
            caption=f.get("excerpt:encoded", "").strip(),
        )
    if post_type not in ("post", "page"):
        reason = {"nav_menu_item": "a menu item", "revision": "a revision"}.get(
            post_type, f"of the post type {post_type!r}"
        )
        return SkippedRecord("other", post_id, title, f"{reason}: not a post or page")
    published_at = wp_time(f.get("wp:post_date_gmt")) or wp_time(f.get("wp:post_date"))
    local = wp_time(f.get("wp:post_date"))
    if local and published_at and f.get("wp:status", "").strip() == "publish":
        offsets.setdefault(local - published_at, published_at)  # The clock, and one instant.
    raw_date = f.get("wp:post_date_gmt") or f.get("wp:post_date") or f.get("pubDate") or ""
    status = POST_STATUS.get(f.get("wp:status", "publish").strip(), "draft")
    if f.get("wp:post_password", "").strip() and status in ("published", "scheduled"):
        status = "protected"  # Meant for the few with the password: never public here.
    problem = ""
    if published_at is None:
        published_at = rss_time(f.get("pubDate"))
        written = [f.get(name, "").strip() for name in ("wp:post_date_gmt", "wp:post_date")]
        broken = [date for date in written if date and not date.startswith("0000")]
        if published_at is not None and broken:  # Said as it is: another date was chosen.
            problem = f"broken date {broken[0]!r}: dated by its pubDate"
    if published_at is None and status in ("published", "scheduled"):
        problem = f"broken date {raw_date.strip()!r}"
    markdown = f.get("quire:markdown")
    featured = attachments.get(meta_value(meta, "_thumbnail_id"))
    record = PostRecord(
        original_id=post_id,
        title=title,
        body=markdown
        if markdown is not None
        else autop(
            wordpress_shortcodes(
                f.get("content:encoded", ""), attachments=attachments, post_id=post_id
            )
        ),
        is_markdown=markdown is not None,
        is_page=post_type == "page",
        slug=f.get("wp:post_name", "").strip(),
        status=status,
        published_at=published_at,
        date_problem=problem,
        labels=[
            LabelRecord(
                original_id=f"{c.get('domain')}:{c.get('nicename') or (c.text or '').strip()}",
                name=(c.text or "").strip(),
                slug=c.get("nicename", ""),
            )
            for c in item
            if c.tag == "category" and c.get("domain", "category") in LABEL_TAXONOMIES
        ],
        author=AuthorRecord(original_id=f.get("dc:creator", "").strip(), name=""),
        excerpt=f.get("excerpt:encoded", "").strip(),
        allow_comments=f.get("wp:comment_status", "open").strip() != "closed",
        old_addresses=addresses(f, post_type, post_id, published_at, meta, markdown is not None),
        cover_url=featured.url if featured and post_type == "post" else "",
        cover_alt=(featured.alt or featured.title).strip() if featured else "",
    )
    record.comments = [
        comment_record(fields(c), post_id) for c in item if key(c.tag) == "wp:comment"
    ]
    return record


def meta_value(meta, name):
    """The first value of a custom field (wp:postmeta) of the item, or ""."""
    return next(
        (m.get("wp:meta_value", "").strip() for m in meta if m.get("wp:meta_key") == name), ""
    )


def addresses(f, post_type, post_id, published_at, meta, from_quire=False):
    """Every permalink form the post may have been reached at on the old blog."""
    found = [f.get("link", "").strip(), f.get("guid", "").strip()]
    if from_quire:  # Our own export lists every address it had: WordPress' forms never were.
        kept = [
            m.get("wp:meta_value", "") for m in meta if m.get("wp:meta_key") == "_quire_address"
        ]
        return [found[0], *kept]
    if post_id:  # WordPress finds a page by ?p= as well as by ?page_id=.
        found += [f"/?p={post_id}", *([f"/?page_id={post_id}"] if post_type == "page" else [])]
    slugs = [f.get("wp:post_name", "").strip()]
    slugs += [m.get("wp:meta_value", "") for m in meta if m.get("wp:meta_key") == "_wp_old_slug"]
    local = wp_time(f.get("wp:post_date")) or published_at
    for slug in filter(None, slugs):
        found.append(f"/{slug}/")
        if post_type == "post" and local:
            found.append(f"/{local:%Y/%m/%d}/{slug}/")
            found.append(f"/{local:%Y/%m}/{slug}/")
    found += [m.get("wp:meta_value", "") for m in meta if m.get("wp:meta_key") == "_quire_address"]
    seen = []
    for address in found:
        parts = urlsplit(address)
        if parts.path or parts.query:
            if address not in seen:
                seen.append(address)
    return seen


def comment_record(f, post_id):
    parent = f.get("wp:comment_parent", "0").strip()
    return CommentRecord(
        original_id=f.get("wp:comment_id", "").strip(),
        post_id=post_id,
        parent_id="" if parent in ("", "0") else parent,
        name=f.get("wp:comment_author", "").strip(),
        email=f.get("wp:comment_author_email", "").strip(),
        url=f.get("wp:comment_author_url", "").strip(),
        text=f.get("wp:comment_content", ""),
        submitted_at=wp_time(f.get("wp:comment_date_gmt")) or wp_time(f.get("wp:comment_date")),
        status=COMMENT_STATUS.get(f.get("wp:comment_approved", "1").strip(), "pending"),
        comment_type=f.get("wp:comment_type", "").strip().lower() or "comment",
    )
