"""What the readers hand the loader: one record per entry of the export, format forgotten."""

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class BlogRecord:
    """The exported blog itself: who it is (for provenance) and where it lived."""

    source: str
    base_url: str = ""
    title: str = ""


@dataclass
class AuthorRecord:
    original_id: str
    name: str
    login: str = ""
    email: str = ""
    kind: str = "author"


@dataclass
class LabelRecord:
    original_id: str
    name: str
    slug: str = ""
    kind: str = "label"
    # Out of the repr, which earlier imports' fingerprints of posts hold (provenance.py).
    term_id: str = field(default="", repr=False)  # WordPress': /?cat=<term_id> for a category
    parent: str = field(default="", repr=False)  # a parent category's slug: /category/a/b/


@dataclass
class CommentRecord:
    original_id: str
    post_id: str
    parent_id: str = ""
    name: str = ""
    email: str = ""
    url: str = ""
    text: str = ""  # HTML, as the old blog stored it
    submitted_at: dt.datetime | None = None
    status: str = "approved"  # approved | pending | spam | trash
    line: int = 0
    kind: str = "comment"
    comment_type: str = "comment"  # comment | pingback | trackback (WordPress)


@dataclass
class PostRecord:
    original_id: str
    title: str
    body: str  # HTML (Markdown if it came from Quire)
    is_page: bool = False
    is_markdown: bool = False  # a body written in Quire, exported and read back
    slug: str = ""
    # published | scheduled | draft | pending | private | protected (by a password) | trash
    status: str = "published"
    published_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    date_problem: str = ""
    labels: list = field(default_factory=list)
    author: AuthorRecord | None = None
    old_addresses: list = field(default_factory=list)  # absolute URLs or paths, ?p=1 forms
    comments: list = field(default_factory=list)
    excerpt: str = ""
    allow_comments: bool = True
    # The old blog's featured image (WordPress' _thumbnail_id), which becomes the cover.
    cover_url: str = ""
    cover_alt: str = ""
    line: int = 0

    @property
    def kind(self):
        return "page" if self.is_page else "post"


@dataclass
class AttachmentRecord:
    original_id: str
    title: str
    url: str
    parent_id: str = ""
    alt: str = ""
    caption: str = ""
    old_addresses: list = field(default_factory=list)
    kind: str = "attachment"


@dataclass
class AddressRecord:
    """An old address the blog kept (interchange.LegacyAddress), in Quire's own export: what
    it leads to, by the ids of the file's entries (a post, a page, a label) and a URL name."""

    path: str
    post_id: str = ""
    page_id: str = ""
    label: str = ""  # the label's term slug in the file
    url_name: str = ""
    kind: str = "redirect"

    @property
    def original_id(self):
        return self.path


@dataclass
class SkippedRecord:
    """An entry we read and leave out on purpose (settings, templates, menu items...)."""

    kind: str
    original_id: str
    title: str
    reason: str


def parse_datetime(text):
    """An ISO 8601 / RFC 3339 time, or None when the export holds something else."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
