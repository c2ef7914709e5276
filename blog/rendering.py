"""Markdown to safe HTML, done once when a post or page is saved."""

import math
import re
from html import unescape

import markdown
import nh3
from django.utils.html import strip_tags
from django.utils.text import Truncator

MARKDOWN_EXTENSIONS = ["extra", "codehilite", "sane_lists", "smarty", "toc"]
MARKDOWN_CONFIG = {
    "codehilite": {"css_class": "highlight", "guess_lang": False},
    "toc": {"permalink": False},
}

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details",
    "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
    "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "title"},
    "a": {"href"},
    "abbr": {"title"},
    "img": {"src", "srcset", "sizes", "alt", "width", "height", "loading"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "ol": {"start"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

WORDS_PER_MINUTE = 230
DERIVED_FIELDS = ("body_html", "summary", "reading_time")


def sanitize_html(html):
    """Strip everything that could run script: unknown tags, event handlers, odd URL schemes."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener",
    )


# Added after sanitising, to our own markup: a code block that scrolls must take keyboard focus.
PRE_TAG = re.compile(r"<pre(?=[\s>])")


def render_markdown(text):
    html = markdown.markdown(
        text, extensions=MARKDOWN_EXTENSIONS, extension_configs=MARKDOWN_CONFIG
    )
    return PRE_TAG.sub('<pre tabindex="0"', sanitize_html(html))


def plain_text(html):
    """Text a template will escape itself: tags dropped and entities such as &gt; decoded."""
    return re.sub(r"\s+", " ", unescape(strip_tags(html))).strip()


# Headings, code, tables and captions read as run-on words in a one-paragraph excerpt.
NOT_PROSE = re.compile(
    r"<(h[1-6]|pre|table|figcaption|nav)\b[^>]*>.*?</\1>", re.IGNORECASE | re.DOTALL
)


def summarize(html, words=40):
    """The post's opening prose; its headings only when it has nothing else."""
    text = plain_text(NOT_PROSE.sub(" ", html)) or plain_text(html)
    return Truncator(text).words(words, truncate="…")


def reading_time_minutes(html):
    return max(1, math.ceil(len(plain_text(html).split()) / WORDS_PER_MINUTE))


def fill_derived(post):
    """Everything a page shows that the author did not type: the one place it is computed.

    save(), bulk inserts, the benchmark and the importers all call this, so a post made in bulk
    looks exactly like one saved in the admin.
    """
    post.body_html = render_markdown(post.body)
    post.summary = (
        summarize(render_markdown(post.excerpt), 60) if post.excerpt else summarize(post.body_html)
    )
    post.reading_time = reading_time_minutes(post.body_html)
