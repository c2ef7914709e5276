"""Markdown to safe HTML, done once when a post or page is saved.

CommonMark with GitHub's extensions (tables, strikethrough, autolinks, task lists) and footnotes,
by markdown-it-py; then nh3 removes anything that could run. What comes after sanitising is our
own markup, built from values we checked: embedded videos and pictures of library images.
"""

import math
import re
import unicodedata
from html import escape, unescape
from urllib.parse import urljoin

import nh3
from django.utils.html import strip_tags
from django.utils.text import Truncator
from linkify_it import LinkifyIt
from markdown_it import MarkdownIt
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import TextLexer, get_lexer_by_name
from pygments.util import ClassNotFound

from .embeds import embed_bare_links
from .images import library_pictures

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details",
    "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "i", "img", "input", "ins", "kbd", "label", "li", "mark", "ol", "p", "pre", "q", "s",
    "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    # dir and lang: right-to-left and other languages' text reads right (imports carry them).
    "*": {"class", "id", "title", "dir", "lang"},
    "a": {"href"},
    "abbr": {"title"},
    "img": {"src", "srcset", "sizes", "alt", "width", "height", "loading"},
    "input": {"checked"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "ol": {"start"},
}
# Task lists' checkboxes: any <input> at all comes out as one that shows a state and does nothing.
FORCED_ATTRIBUTES = {"input": {"type": "checkbox", "disabled": "disabled"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

WORDS_PER_MINUTE = 230
DERIVED_FIELDS = ("body_html", "summary", "reading_time")

# Imported HTML (interchange/bodies.py) is kept whole: rendered as Markdown, its blank lines would
# end the HTML block and the text after them would become paragraphs, emphasis and code.
IMPORTED_HTML_OPEN = '<div class="imported">\n'
IMPORTED_HTML_CLOSE = "\n</div>"


class GitHubAutolinks(LinkifyIt):
    """GitHub's autolinks: addresses with a scheme, www. hosts and e-mail addresses, but not a
    bare name that happens to end like a domain (README.md, node.js)."""

    def match(self, text):
        return [
            link
            for link in super().match(text) or []
            if link.schema in ("http:", "https:", "mailto:")
            or (link.schema == "" and link.raw.lower().startswith("www."))
        ]


def highlight_code(code, language):
    """The markup Python-Markdown's codehilite made, so the stylesheet and old posts still fit."""
    try:
        lexer = get_lexer_by_name(language) if language else TextLexer()
    except ClassNotFound:
        lexer = TextLexer()
    return highlight(code, lexer, HtmlFormatter(cssclass="highlight", wrapcode=True))


def render_fence(renderer, tokens, index, options, env):
    token = tokens[index]
    language = unescape(token.info).strip().split(maxsplit=1)[0] if token.info.strip() else ""
    return highlight_code(token.content, language)


# An indented block may name its language on a first line of its own, as codehilite allowed.
CODE_LANGUAGE_LINE = re.compile(r"^:::([\w+#.-]+)[ \t]*\n")


def render_code_block(renderer, tokens, index, options, env):
    code = tokens[index].content
    if language := CODE_LANGUAGE_LINE.match(code):
        return highlight_code(code[language.end() :], language.group(1))
    return highlight_code(code, "")


def smart_punctuation(state):
    """Python-Markdown's smarty: dashes and ellipses (the quotes are markdown-it's own). Not
    markdown-it's replacements, which also turn (c) into © and two dots into an ellipsis."""
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        in_autolink = False
        for child in token.children:
            if child.type == "link_open" and child.info == "auto":
                in_autolink = True
            elif child.type == "link_close" and child.info == "auto":
                in_autolink = False
            elif child.type == "text" and not in_autolink:
                child.content = (
                    child.content.replace("---", "\u2014")
                    .replace("--", "\u2013")
                    .replace("...", "\u2026")
                )


def slugify_heading(text):
    """Python-Markdown's toc ids, kept so that links to a heading of an old post still land."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def unique_id(candidate, used):
    while candidate in used or not candidate:
        numbered = re.match(r"^(.*)_([0-9]+)$", candidate)
        if numbered:
            candidate = f"{numbered.group(1)}_{int(numbered.group(2)) + 1}"
        else:
            candidate = f"{candidate}_1"
    used.add(candidate)
    return candidate


EXPLICIT_ID = re.compile(r"\s*\{:?\s*#([\w-]+)\s*\}\s*$")


def heading_ids(state):
    """An id on every heading, from its text or from a trailing {#id} as Python-Markdown took."""
    used = set()
    for index, token in enumerate(state.tokens):
        if token.type != "heading_open":
            continue
        inline = state.tokens[index + 1]
        explicit = EXPLICIT_ID.search(inline.content)
        if explicit and inline.children and inline.children[-1].type == "text":
            last = inline.children[-1]
            last.content = EXPLICIT_ID.sub("", last.content)
            token.attrSet("id", unique_id(explicit.group(1), used))
            continue
        text = "".join(
            child.content
            for child in inline.children or ()
            if child.type in ("text", "code_inline")
        )
        token.attrSet("id", unique_id(slugify_heading(text), used))


TABLE_ALIGNMENT = re.compile(r"^text-align:(left|center|right)$")


def table_alignment(state):
    """Column alignment as a class: the sanitiser drops style attributes, the stylesheet aligns."""
    for token in state.tokens:
        if token.type in ("th_open", "td_open"):
            alignment = TABLE_ALIGNMENT.match(token.attrGet("style") or "")
            if alignment:
                token.attrs.pop("style")
                token.attrSet("class", f"align-{alignment.group(1)}")


def footnote_label(token):
    label = token.meta.get("label")
    return label if label is not None else str(token.meta["id"] + 1)


# Footnotes marked up as Python-Markdown did (#fn:1, #fnref:1), so their addresses still work.
def render_footnote_ref(renderer, tokens, index, options, env):
    meta = tokens[index].meta
    label, number = footnote_label(tokens[index]), meta["id"] + 1
    ref_id = f"fnref:{label}" if meta["subId"] == 0 else f"fnref{meta['subId'] + 1}:{label}"
    return f'<sup id="{ref_id}"><a class="footnote-ref" href="#fn:{label}">{number}</a></sup>'


def render_footnote_block_open(renderer, tokens, index, options, env):
    return '<div class="footnote">\n<hr>\n<ol>\n'


def render_footnote_block_close(renderer, tokens, index, options, env):
    return "</ol>\n</div>\n"


def render_footnote_open(renderer, tokens, index, options, env):
    return f'<li id="fn:{footnote_label(tokens[index])}">'


def render_footnote_anchor(renderer, tokens, index, options, env):
    meta = tokens[index].meta
    label, number = footnote_label(tokens[index]), meta["id"] + 1
    ref_id = f"fnref:{label}" if meta["subId"] == 0 else f"fnref{meta['subId'] + 1}:{label}"
    space = "\u00a0" if meta["subId"] == 0 else ""
    return (
        f'{space}<a class="footnote-backref" href="#{ref_id}" '
        f'title="Jump back to footnote {number} in the text">\u21a9</a>'
    )


def make_parser():
    parser = (
        MarkdownIt(
            "commonmark",
            {"html": True, "linkify": True, "typographer": True},
        )
        .enable(["table", "strikethrough", "linkify", "smartquotes"])
        .use(footnote_plugin)
        .use(deflist_plugin)
        .use(tasklists_plugin, label=True)
    )
    parser.linkify = GitHubAutolinks()
    # Every link is made, whatever its scheme: nh3 is the one judge, and it keeps the link's text
    # where markdown-it would show [text](javascript:...) as it was typed.
    parser.validateLink = lambda url: True
    parser.core.ruler.after("smartquotes", "smart_punctuation", smart_punctuation)
    parser.core.ruler.push("heading_ids", heading_ids)
    parser.core.ruler.push("table_alignment", table_alignment)
    parser.add_render_rule("fence", render_fence)
    parser.add_render_rule("code_block", render_code_block)
    parser.add_render_rule("footnote_ref", render_footnote_ref)
    parser.add_render_rule("footnote_block_open", render_footnote_block_open)
    parser.add_render_rule("footnote_block_close", render_footnote_block_close)
    parser.add_render_rule("footnote_open", render_footnote_open)
    parser.add_render_rule("footnote_anchor", render_footnote_anchor)
    return parser


MARKDOWN = make_parser()


def sanitize_html(html):
    """Strip everything that could run script: unknown tags, event handlers, odd URL schemes."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        set_tag_attribute_values=FORCED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener",
    )


# Added after sanitising, to our own markup: a code block that scrolls must take keyboard focus.
PRE_TAG = re.compile(r"<pre(?=[\s>])")


def markdown_to_html(text):
    if text.startswith(IMPORTED_HTML_OPEN) and text.endswith(IMPORTED_HTML_CLOSE):
        return text
    return MARKDOWN.render(text)


def render_markdown(text):
    """A body as readers get it. Library images are looked up here, with one query for the body:
    call it on save, never per view."""
    html = sanitize_html(markdown_to_html(text))
    html = library_pictures(embed_bare_links(html))
    return PRE_TAG.sub('<pre tabindex="0"', html).strip()


def plain_text(html):
    """Text a template will escape itself: tags dropped and entities such as &gt; decoded."""
    return re.sub(r"\s+", " ", unescape(strip_tags(html))).strip()


# Headings, code, tables, captions and embeds read as run-on words in a one-paragraph excerpt.
NOT_PROSE = re.compile(
    r"<(h[1-6]|pre|table|figcaption|nav)\b[^>]*>.*?</\1>", re.IGNORECASE | re.DOTALL
)


def summarize(html, words=40):
    """The post's opening prose; its headings only when it has nothing else."""
    text = plain_text(NOT_PROSE.sub(" ", html)) or plain_text(html)
    return Truncator(text).words(words, truncate="…")


# The attributes of our sanitised HTML that hold an address (nh3 writes them double-quoted).
LINKED_ATTRIBUTE = re.compile(r'(\s(?:href|src|poster)=")([^"]*)(")')
SRCSET = re.compile(r'(\ssrcset=")([^"]*)(")')


def absolute_addresses(html, base):
    """The HTML with every address absolute, read against `base` (the post's own address): a
    feed reader or a mail client shows the post away from the site, where "/media/x.webp" and
    "#fn:1" lead nowhere."""

    def one(match):
        return f'{match.group(1)}{escape(urljoin(base, unescape(match.group(2))))}"'

    def each(match):
        candidates = []
        for candidate in match.group(2).split(","):
            address, _, width = candidate.strip().partition(" ")
            joined = escape(urljoin(base, unescape(address)))
            candidates.append(f"{joined} {width}".strip())
        return f'{match.group(1)}{", ".join(candidates)}"'

    return SRCSET.sub(each, LINKED_ATTRIBUTE.sub(one, html))


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
