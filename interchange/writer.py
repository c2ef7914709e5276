"""The whole blog as a WXR 1.2 file that WordPress, and our own importer, read back.

Bodies go out as HTML for WordPress and, in quire:markdown, as the Markdown we keep, so an
export read back by Quire is the same blog to the letter. Written as it goes: flat memory.
"""

import datetime as dt
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from taggit.models import Tag

from blog.models import Image, Page, Post
from comments.xtd import XtdComment

from .bodies import from_body
from .models import LegacyAddress
from .readers.wxr import QUIRE_NS

HEAD = f"""<?xml version="1.0" encoding="UTF-8"?>
<!-- A WordPress eXtended RSS file written by Quire: import it with WordPress' importer,
     or into Quire with manage.py import_wordpress. -->
<rss version="2.0"
 xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:wfw="http://wellformedweb.org/CommentAPI/"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/1.2/"
 xmlns:quire="{QUIRE_NS}">
<channel>
"""


def cdata(text):
    """Any text as CDATA, "]]>" included."""
    return "<![CDATA[" + (text or "").replace("]]>", "]]]]><![CDATA[>") + "]]>"


def element(name, text, raw=False):
    return f"<{name}>{cdata(text) if raw else escape(str(text or ''))}</{name}>\n"


def wp_time(moment, local=False):
    moment = timezone.localtime(moment) if local else moment.astimezone(dt.UTC)
    return moment.isoformat(sep=" ").split("+")[0]


def write_wxr(*, out, base_url):
    """Write the blog to `out` (a text file); returns how many items went out, by kind."""
    base_url = base_url.rstrip("/")
    counts = {"posts": 0, "pages": 0, "comments": 0, "labels": 0, "images": 0, "covers": 0}
    out.write(HEAD)
    out.write(element("title", settings.QUIRE_SITE_NAME))
    out.write(element("link", base_url))
    out.write(element("description", settings.QUIRE_SITE_DESCRIPTION))
    out.write(element("language", settings.LANGUAGE_CODE))
    out.write(element("wp:wxr_version", "1.2"))
    out.write(element("wp:base_site_url", base_url))
    out.write(element("wp:base_blog_url", base_url))
    out.write(element("generator", "Quire"))
    authors = get_user_model().objects.filter(posts__isnull=False).distinct().order_by("pk")
    for user in authors:
        out.write("<wp:author>")
        out.write(element("wp:author_id", user.pk))
        out.write(element("wp:author_login", user.get_username(), raw=True))
        out.write(element("wp:author_email", user.email, raw=True))
        out.write(element("wp:author_display_name", user.get_full_name(), raw=True))
        out.write("</wp:author>\n")
    for tag in Tag.objects.order_by("pk"):
        out.write("<wp:tag>")
        out.write(element("wp:term_id", tag.pk))
        out.write(element("wp:tag_slug", tag.slug, raw=True))
        out.write(element("wp:tag_name", tag.name, raw=True))
        out.write("</wp:tag>\n")
        counts["labels"] += 1
    # One id space for every item, as in WordPress: posts keep their own ids, pages, library
    # images and covers come after them.
    page_offset = last_pk(Post) + 1
    image_offset = page_offset + last_pk(Page) + 1
    cover_offset = image_offset + last_pk(Image) + 1
    posts = Post.objects.select_related("author").prefetch_related("tags", "addresses")
    for post in posts.order_by("pk").iterator(chunk_size=500):
        write_post(out, post, base_url, cover_id=cover_offset + post.pk if post.cover else None)
        counts["posts"] += 1
        counts["comments"] += write_comments(out, post)
        out.write("</item>\n")
    for page in Page.objects.order_by("pk").iterator():
        write_page(out, page, base_url, page_offset + page.pk)
        counts["pages"] += 1
        counts["comments"] += write_comments(out, page)
        out.write("</item>\n")
    for image in Image.objects.order_by("pk").iterator():
        write_image(out, image, base_url, image_offset + image.pk)
        counts["images"] += 1
    # Covers as WordPress' featured images: an attachment of the post, named by _thumbnail_id.
    for post in Post.objects.exclude(cover="").order_by("pk").iterator():
        write_cover(out, post, base_url, cover_offset + post.pk)
        counts["covers"] += 1
    counts["old addresses"] = write_old_addresses(out, page_offset)
    out.write("</channel>\n</rss>\n")
    return counts


def last_pk(model):
    return model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def write_old_addresses(out, page_offset):
    """The imported blog's addresses this one answers with a redirect (/?p=1, /p/about.html,
    /search/label/Travel...), after the items they lead to: Quire reads them back; WordPress
    keeps its own."""
    rows = LegacyAddress.objects.select_related("tag").order_by("pk")
    n = 0
    for row in rows.iterator():
        out.write("<quire:address>")
        out.write(element("quire:path", row.path, raw=True))
        if row.post_id:
            out.write(element("quire:post", row.post_id))
        if row.page_id:
            out.write(element("quire:page", page_offset + row.page_id))
        if row.tag_id:
            out.write(element("quire:label", row.tag.slug, raw=True))
        if row.url_name:
            out.write(element("quire:url_name", row.url_name, raw=True))
        out.write("</quire:address>\n")
        n += 1
    return n


def item_head(out, *, title, link, post_id, body_html, markdown, published_at, name, status, kind):
    out.write("<item>\n")
    out.write(element("title", title))
    out.write(element("link", link))
    out.write(element("pubDate", published_at.strftime("%a, %d %b %Y %H:%M:%S +0000")))
    out.write(f'<guid isPermaLink="false">{escape(link)}</guid>\n')
    out.write(element("content:encoded", body_html, raw=True))
    out.write(element("quire:markdown", markdown, raw=True))
    out.write(element("wp:post_id", post_id))
    out.write(element("wp:post_date", wp_time(published_at, local=True), raw=True))
    out.write(element("wp:post_date_gmt", wp_time(published_at), raw=True))
    out.write(element("wp:post_name", name, raw=True))
    out.write(element("wp:status", status, raw=True))
    out.write(element("wp:post_type", kind, raw=True))


def write_post(out, post, base_url, cover_id=None):
    if post.status == Post.Status.DRAFT:
        status = "draft"
    else:
        status = "future" if post.is_scheduled else "publish"
    item_head(
        out,
        title=post.title,
        link=base_url + post.get_absolute_url(),
        post_id=post.pk,
        body_html=from_body(post.body) or post.body_html,
        markdown=post.body,
        published_at=post.published_at,
        name=post.slug,
        status=status,
        kind="post",
    )
    out.write(element("dc:creator", post.author.get_username(), raw=True))
    out.write(element("excerpt:encoded", post.excerpt, raw=True))
    out.write(element("wp:comment_status", "open" if post.allow_comments else "closed"))
    for tag in post.tags.all():
        out.write(f'<category domain="post_tag" nicename={quoteattr(tag.slug)}>')
        out.write(f"{cdata(tag.name)}</category>\n")
    for address in post.addresses.all():
        write_meta(out, "_quire_address", address.path)
    if cover_id is not None:
        write_meta(out, "_thumbnail_id", str(cover_id))


def write_meta(out, key, value):
    out.write("<wp:postmeta>")
    out.write(element("wp:meta_key", key, raw=True))
    out.write(element("wp:meta_value", value, raw=True))
    out.write("</wp:postmeta>\n")


def write_comments(out, post):
    """The post's (or page's) comments, threads and status kept; those removed stay out."""
    comments = XtdComment.norel_objects.filter(
        content_type=ContentType.objects.get_for_model(post),
        object_pk=str(post.pk),
        is_removed=False,
    ).order_by("thread_id", "order")
    n = 0
    for comment in comments:
        out.write("<wp:comment>")
        out.write(element("wp:comment_id", comment.pk))
        out.write(element("wp:comment_author", comment.user_name, raw=True))
        out.write(element("wp:comment_author_email", comment.user_email, raw=True))
        out.write(element("wp:comment_author_url", comment.user_url, raw=True))
        out.write(element("wp:comment_date", wp_time(comment.submit_date, local=True), raw=True))
        out.write(element("wp:comment_date_gmt", wp_time(comment.submit_date), raw=True))
        out.write(element("wp:comment_content", comment.comment, raw=True))
        out.write(element("wp:comment_approved", "1" if comment.is_public else "0"))
        parent = 0 if comment.parent_id == comment.pk else comment.parent_id
        out.write(element("wp:comment_parent", parent))
        out.write("</wp:comment>\n")
        n += 1
    return n


def write_page(out, page, base_url, item_id):
    item_head(
        out,
        title=page.title,
        link=base_url + page.get_absolute_url(),
        post_id=item_id,
        body_html=from_body(page.body) or page.body_html,
        markdown=page.body,
        published_at=page.created_at,
        name=page.slug,
        status="publish" if page.is_published else "draft",
        kind="page",
    )
    out.write(element("wp:comment_status", "open" if page.allow_comments else "closed"))


def write_cover(out, post, base_url, item_id):
    url = absolute(post.cover.url, base_url)
    item_head(
        out,
        title=post.cover_alt or post.title,
        link=url,
        post_id=item_id,
        body_html="",
        markdown="",
        published_at=post.published_at,
        name=f"{post.slug}-cover",
        status="inherit",
        kind="attachment",
    )
    out.write(element("wp:post_parent", post.pk))
    out.write(element("wp:attachment_url", url, raw=True))
    write_meta(out, "_wp_attachment_image_alt", post.cover_alt)
    out.write("</item>\n")


def absolute(url, base_url):
    return url if url.startswith(("http://", "https://")) else base_url + url


def write_image(out, image, base_url, item_id):
    url = absolute(image.image.url, base_url)
    item_head(
        out,
        title=image.title,
        link=url,
        post_id=item_id,
        body_html="",
        markdown=image.alt_text,
        published_at=image.uploaded_at,
        name=image.title,
        status="inherit",
        kind="attachment",
    )
    out.write(element("wp:attachment_url", url, raw=True))
    out.write("</item>\n")
