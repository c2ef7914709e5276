import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

DATA = settings.BASE_DIR.parent / "shared" / "data"


def real_export(name):
    """One of the real exports in ../shared/data, or a skip saying why it is missing."""
    path = DATA / name
    if not path.exists():
        pytest.skip(f"{path} is not here: the real sample exports live in ../shared/data/")
    return path


def run(command, path, *args):
    out = io.StringIO()
    call_command(command, str(path), "--no-progress", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def ledger_line(out, kind):
    """The ledger's line for a kind, such as "10 in the file: 8 created, 2 skipped"."""
    match = re.search(rf"^  {kind}\s+(\d+ in the file: .*)$", out, re.MULTILINE)
    return match.group(1) if match else None


@pytest.fixture
def write_file(tmp_path):
    def write(text, name="export.xml"):
        path = Path(tmp_path) / name
        path.write_bytes(text.encode() if isinstance(text, str) else text)
        return path

    return write


TAKEOUT_HEAD = """<?xml version='1.0' encoding='utf-8'?>
<feed xmlns='http://www.w3.org/2005/Atom' xmlns:blogger='http://schemas.google.com/blogger/2018'>
<id>tag:blogger.com,1999:blog-777</id><title>Takeout blog</title>
"""


def takeout_entry(
    n, kind="POST", status="LIVE", title=None, body="<p>Hello.</p>",
    published="2020-03-04T10:00:00Z", filename=None, parent="", in_reply_to="",
    author="Ann", author_type="BLOGGER", labels=(),
):  # fmt: skip
    title = f"Post {n}" if title is None else title
    filename = f"/2020/03/post-{n}.html" if filename is None else filename
    cats = "".join(f"<category scheme='tag:blogger.com,1999:blog-777' term='{t}'/>" for t in labels)
    extra = f"<blogger:filename>{filename}</blogger:filename>" if kind != "COMMENT" else ""
    if parent:
        extra += f"<blogger:parent>tag:blogger.com,1999:blog-777.post-{parent}</blogger:parent>"
    if in_reply_to:
        ref = f"tag:blogger.com,1999:blog-777.post-{in_reply_to}"
        extra += f"<blogger:inReplyTo>{ref}</blogger:inReplyTo>"
    return f"""<entry><id>tag:blogger.com,1999:blog-777.post-{n}</id>
<blogger:type>{kind}</blogger:type><blogger:status>{status}</blogger:status>
<author><name>{author}</name><uri>https://www.blogger.com/profile/{author}</uri>
<blogger:type>{author_type}</blogger:type></author>
<title>{title}</title><content type='html'>{body}</content>
<published>{published}</published><updated>{published}</updated>{cats}{extra}</entry>
"""


def takeout(*entries):
    return TAKEOUT_HEAD + "".join(entries) + "</feed>"


WXR_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Test WP</title><link>https://old.example.com</link>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_blog_url>https://old.example.com</wp:base_blog_url>
<wp:author><wp:author_login>ann</wp:author_login><wp:author_email>ann@example.com</wp:author_email>
<wp:author_display_name><![CDATA[Ann Writer]]></wp:author_display_name></wp:author>
"""


def wxr_comment(n, parent=0, approved="1", text=None, author="Reader", comment_type=""):
    text = f"Comment {n}" if text is None else text
    return f"""<wp:comment><wp:comment_id>{n}</wp:comment_id>
<wp:comment_author><![CDATA[{author} {n}]]></wp:comment_author>
<wp:comment_author_email>r{n}@example.com</wp:comment_author_email>
<wp:comment_author_url>https://r{n}.example.com/</wp:comment_author_url>
<wp:comment_date_gmt>2020-05-0{1 + n % 9} 10:00:00</wp:comment_date_gmt>
<wp:comment_content><![CDATA[{text}]]></wp:comment_content>
<wp:comment_approved>{approved}</wp:comment_approved><wp:comment_parent>{parent}</wp:comment_parent>
<wp:comment_type>{comment_type}</wp:comment_type>
</wp:comment>"""


def wxr_item(
    n, title=None, slug=None, status="publish", post_type="post", date="2020-04-05 10:00:00",
    body="Hello there.", comments="", categories=(), link=None,
):  # fmt: skip
    title = f"Post {n}" if title is None else title
    slug = f"post-{n}" if slug is None else slug
    link = (
        f"https://old.example.com/{date[:4]}/{date[5:7]}/{date[8:10]}/{slug}/"
        if link is None
        else link
    )
    cats = "".join(
        f'<category domain="{d}" nicename="{s}"><![CDATA[{name}]]></category>'
        for d, s, name in categories
    )
    return f"""<item><title>{title}</title><link>{link}</link>
<dc:creator><![CDATA[ann]]></dc:creator><guid isPermaLink="false">https://old.example.com/?p={n}</guid>
<content:encoded><![CDATA[{body}]]></content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>{n}</wp:post_id><wp:post_date>{date}</wp:post_date><wp:post_date_gmt>{date}</wp:post_date_gmt>
<wp:comment_status>open</wp:comment_status><wp:post_name>{slug}</wp:post_name>
<wp:status>{status}</wp:status><wp:post_parent>0</wp:post_parent><wp:post_type>{post_type}</wp:post_type>
{cats}{comments}</item>
"""


def wxr(*items):
    return WXR_HEAD + "".join(items) + "</channel></rss>"
