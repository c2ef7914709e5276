"""Old blogs' HTML made into our bodies: kept as raw HTML for Markdown, sanitised on save."""

import re
from html import escape, unescape
from urllib.parse import unquote, urlsplit

from django.utils.html import strip_tags

from blog.embeds import find_embed
from blog.rendering import IMPORTED_HTML_CLOSE as WRAPPER_CLOSE
from blog.rendering import IMPORTED_HTML_OPEN as WRAPPER_OPEN

# blog.rendering keeps a body so wrapped as the HTML it was: none of it is read as Markdown.
BLOCK = re.compile(
    r"^\s*<(?:p|div|h[1-6]|ul|ol|li|blockquote|pre|table|figure|hr|dl|!--|\[)", re.IGNORECASE
)
PRE = re.compile(r"<pre[\s>].*?</pre>", re.IGNORECASE | re.DOTALL)


# An embedded frame as old blogs wrote it, with its address; Blogger's often has no scheme.
IFRAME = re.compile(
    r"<iframe\b[^>]*?\bsrc\s*=\s*([\"'])(.*?)\1[^>]*>.*?</iframe\s*>", re.IGNORECASE | re.DOTALL
)


def as_body(html):
    """The stored body for imported HTML: wrapped, so Markdown renders none of it as Markdown."""
    html = frames_as_links((html or "").strip())
    if not html or html.startswith(WRAPPER_OPEN):
        return html
    return f"{WRAPPER_OPEN}{html}{WRAPPER_CLOSE}"


def frames_as_links(html):
    """A YouTube or Vimeo video embedded as an <iframe> (the sanitiser removes every frame)
    becomes its address on a line of its own, which a saved body shows as the video again
    (blog.embeds), from a checked id. Any other frame is left to the sanitiser."""

    def replace(match):
        src = unescape(match.group(2)).strip()
        embed = find_embed(f"https:{src}" if src.startswith("//") else src)
        if embed is None:
            return match.group(0)
        return link_line(embed.page_url)

    return IFRAME.sub(replace, html) if "<iframe" in html.lower() else html


def link_line(address):
    """An address as a paragraph of its own: what blog.embeds makes a video of, if it is one."""
    address = escape(address)
    return f'\n<p><a href="{address}">{address}</a></p>\n'


CAPTION = re.compile(r"\[caption\b([^\]]*)\](.*?)\[/caption\]", re.IGNORECASE | re.DOTALL)
# An address alone on its line: WordPress shows a video there (oEmbed), as blog.embeds does.
LONE_ADDRESS = re.compile(r"^[ \t]*(https?://[^\s<>\"']+)[ \t]*$", re.MULTILINE)
CAPTIONED = re.compile(r"\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)", re.I | re.DOTALL)
EMBED = re.compile(
    r"\[embed\b[^\]]*\]\s*(\S+?)\s*\[/embed\]|\[(?:youtube|vimeo)[= ]\s*([^\]\s]+)[^\]]*\]",
    re.IGNORECASE,
)
# WordPress' <!--more-->, and Blogger's jump break as its export writes it.
MORE = re.compile(r"<!--\s*more\b[^>]*-->|<a\s+name=[\"']more[\"']\s*>\s*</a>", re.IGNORECASE)
MARKDOWN_SIGNS = re.compile(r"([\\`*_{}\[\]()#+!<>|~])")


def wordpress_shortcodes(html, *, attachments=None, post_id=""):
    """What WordPress' editor writes in brackets and expands on display, done once here: a
    captioned image becomes a figure with its caption, an [embed] or [youtube] its address on
    a line of its own (a video again, blog.embeds), as is a video's address alone on its line,
    a [gallery] its images as figures, [audio] and [video] a link to the file (or the video,
    from YouTube or Vimeo), a [playlist] a list of links. `attachments` (AttachmentRecords by
    id) are what galleries and playlists name. Shortcodes of plugins stay as written."""
    if "[" not in html and "://" not in html:
        return html
    attachments = attachments or {}

    def caption(match):
        inner = CAPTIONED.match(match.group(2))
        if inner is None:
            return match.group(2)
        # Before WordPress 3.4 the caption was an attribute: [caption caption="Text"].
        text = inner.group(2).strip() or escape(
            shortcode_attributes(match.group(1)).get("caption", "")
        )
        return f"<figure>{inner.group(1)}<figcaption>{text}</figcaption></figure>"

    def lone_address(match):
        url = unescape(match.group(1))
        return link_line(url).strip() if find_embed(url) is not None else match.group(0)

    def embed(match):
        return link_line(unescape(match.group(1) or match.group(2)))

    # A gallery or playlist whose files the export does not hold (WordPress' "Posts" export
    # leaves attachments out) stays as written: the author sees what to mend.
    def gallery(match):
        chosen = chosen_attachments(match.group(1), attachments, post_id, IMAGE_FILE)
        return gallery_html(chosen) if chosen else match.group(0)

    def playlist(match):
        chosen = chosen_attachments(match.group(1), attachments, post_id, MEDIA_FILE)
        items = "".join(
            f'<li><a href="{escape(a.url)}">{escape(a.title.strip() or file_name(a.url))}</a></li>'
            for a in chosen
        )
        return f"<ul>{items}</ul>" if items else match.group(0)

    def media(match):
        kind, attributes = match.group(1).lower(), shortcode_attributes(match.group(2))
        url = next((attributes[k] for k in MEDIA_SOURCES[kind] if attributes.get(k)), "")
        url = url or unescape(strip_tags(match.group(3) or "")).strip()
        if not url:
            return ""
        if kind == "video" and find_embed(url) is not None:
            return link_line(url)
        verb = "Listen" if kind == "audio" else "Watch"
        return f'\n<p><a href="{escape(url)}">{verb}: {escape(file_name(url))}</a></p>\n'

    html = CAPTION.sub(caption, html)
    html = GALLERY.sub(gallery, html)
    html = PLAYLIST.sub(playlist, html)
    html = MEDIA.sub(media, html)
    return LONE_ADDRESS.sub(lone_address, EMBED.sub(embed, html))


GALLERY = re.compile(r"\[gallery\b([^\]]*)\]", re.IGNORECASE)
PLAYLIST = re.compile(r"\[playlist\b([^\]]*)\]", re.IGNORECASE)
MEDIA = re.compile(r"\[(audio|video)\b([^\]]*)\](?:(.*?)\[/\1\])?", re.IGNORECASE | re.DOTALL)
MEDIA_SOURCES = {
    "audio": ("src", "mp3", "m4a", "ogg", "wav", "wma", "flac"),
    "video": ("src", "mp4", "m4v", "webm", "ogv", "wmv", "flv", "mov"),
}
SHORTCODE_ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+))""")
IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|bmp|svg)$", re.IGNORECASE)
MEDIA_FILE = re.compile(r"\.(?:mp3|m4a|ogg|oga|wav|wma|flac|mp4|m4v|webm|ogv|wmv|flv|mov)$", re.I)


def shortcode_attributes(text):
    """A shortcode's name="value" pairs, names in lower case, entities decoded."""
    return {
        name.lower(): unescape(next((v for v in values if v), ""))
        for name, *values in SHORTCODE_ATTRIBUTE.findall(unescape(text or ""))
    }


def chosen_attachments(text, attachments, post_id, kind):
    """The attachments a [gallery] or [playlist] shows, as WordPress chooses them: those its
    ids (or include) name, in that order; else those attached to the post, oldest first;
    less any it excludes; only files of the kind it shows."""
    attributes = shortcode_attributes(text)
    named = attributes.get("ids") or attributes.get("include") or ""
    if named:
        ids = [i.strip() for i in named.split(",") if i.strip()]
    else:
        attached = [a.original_id for a in attachments.values() if a.parent_id == post_id]
        ids = sorted(attached, key=lambda i: (len(i), i))  # Numbers, in number order.
    excluded = {i.strip() for i in attributes.get("exclude", "").split(",")}
    chosen = [attachments[i] for i in ids if i in attachments and i not in excluded]
    return [a for a in chosen if kind.search(urlsplit(a.url).path)]


def gallery_html(attachments):
    """A gallery as figures, each image with its alt text and caption: no script, no theme."""
    figures = "".join(
        f'<figure><img src="{escape(a.url)}" alt="{escape(a.alt or a.title)}">'
        + (f"<figcaption>{a.caption}</figcaption>" if a.caption else "")  # Sanitised on save.
        + "</figure>"
        for a in attachments
    )
    return f'<div class="gallery">{figures}</div>'


def file_name(url):
    """The last part of an address's path, as a reader would call the file."""
    return unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]) or url


def teaser_of(excerpt, body):
    """The post's excerpt as our Markdown: the author's own, else the words before the
    "read more" break (<!--more-->, Blogger's jump break), as plain text; "" for none."""
    html = excerpt or (MORE.split(body, 1)[0] if MORE.search(body or "") else "")
    text = re.sub(r"\s+", " ", unescape(strip_tags(html))).strip()
    return MARKDOWN_SIGNS.sub(r"\\\1", text)


def from_body(body):
    """The HTML inside a body we wrapped on import (for the WXR writer)."""
    if body.startswith(WRAPPER_OPEN) and body.endswith(WRAPPER_CLOSE):
        return body[len(WRAPPER_OPEN) : -len(WRAPPER_CLOSE)]
    return None


def autop(text):
    """WordPress stores paragraphs as blank lines and adds <p> on display, whatever HTML the
    classic editor's text holds besides (wpautop): do it once here. The block editor's posts
    (<!-- wp:paragraph --> and the like) carry their own <p>, and WordPress leaves them be."""
    if not text or "<!-- wp:" in text:
        return text
    kept = []

    def hide(match):
        kept.append(match.group(0))
        return f"\x00{len(kept) - 1}\x00"

    text = PRE.sub(hide, text.replace("\r\n", "\n"))
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    out = []
    for block in blocks:
        if BLOCK.match(block) or block.startswith("\x00"):
            out.append(block)
        else:
            out.append(paragraphs(block))
    html = "\n\n".join(out)
    return re.sub(r"\x00(\d+)\x00", lambda m: kept[int(m.group(1))], html)


# A line of a block-level element's own: a list, a table, a quote and their parts.
BLOCK_LINE = re.compile(
    r"\s*</?(?:p|div|h[1-6]|ul|ol|li|blockquote|pre|table|thead|tbody|tfoot|tr|td|th|"
    r"caption|figure|figcaption|hr|dl|dt|dd|address|section|details|summary)\b",
    re.IGNORECASE,
)


def paragraphs(block):
    """Text with single line breaks as <br>, as wpautop makes it; a line that is a block
    element's own (a list written without a blank line before it) stands outside the
    paragraph, with no <br> of its own between list items or table rows."""
    out, lines = [], []

    def close():
        if lines:
            out.append("<p>" + "<br>\n".join(lines) + "</p>")
            lines.clear()

    for line in block.split("\n"):
        if BLOCK_LINE.match(line):
            close()
            out.append(line)
        else:
            lines.append(line)
    close()
    return "\n".join(out)


COMMENT_LINK = re.compile(
    r"""<a\s[^>]*?href\s*=\s*["']?(https?://[^"'\s>]+)[^>]*>(.*?)</a>""",
    re.IGNORECASE | re.DOTALL,
)
COMMENT_BREAK = re.compile(r"<br\s*/?>|</?(?:p|div|blockquote|li|ul|ol|pre|h[1-6])\b[^>]*>", re.I)


def comment_text(html):
    """A comment as our plain text: line and block breaks kept, a link's address after its
    words (our comments link bare addresses), tags dropped, entities decoded."""

    def link(match):
        address, words = unescape(match.group(1)), strip_tags(match.group(2)).strip()
        return address if unescape(words) in ("", address) else f"{words} ({address})"

    text = COMMENT_BREAK.sub("\n", COMMENT_LINK.sub(link, html or ""))
    text = unescape(strip_tags(text))
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# The tags an old title may be dressed in. Anything else in angle brackets is the title's own
# text ("The <canvas> element"), as in a post about HTML: kept, and escaped when shown.
TITLE_MARKUP = re.compile(
    r"</?(?:a|abbr|b|big|br|cite|code|del|dfn|em|font|i|ins|kbd|mark|q|s|samp|small|span|"
    r"strike|strong|sub|sup|time|tt|u|var|wbr)(?:\s[^>]*)?/?>",
    re.IGNORECASE,
)


def plain_title(text):
    """A title as readers see it: entities decoded (Blogger escapes some twice), its markup and
    stray whitespace dropped."""
    return re.sub(r"\s+", " ", unescape(TITLE_MARKUP.sub("", unescape(text or "")))).strip()
