"""Which export a file is, and a first streaming pass that checks it and counts its entries.

Nothing is written until the whole file has been read once: a file that cannot be read gets one
sentence saying what is wrong and where, and leaves the blog as it was.
"""

import re
from collections import Counter
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException

from ..records import AttachmentRecord, BlogRecord, LabelRecord, PostRecord
from . import blogger, wxr
from .safexml import ExportError, Mends, explain, head_encoding, mendable

READERS = {"blogger": blogger.read, "wordpress": wxr.read}
NAMES = {"blogger": "a Blogger export", "wordpress": "a WordPress export (WXR)"}
MAX_MENDS = 20
ENTRY_NOUNS = {"other": "entry", "redirect": "old address"}


def sniff(path):
    """blogger, wordpress, or an ExportError saying what the file is instead."""
    with open(path, "rb") as file:
        head = file.read(256 * 1024)
    if head.startswith(b"PK\x03\x04"):
        raise ExportError(
            "This is a ZIP archive (Google Takeout and WordPress.com hand out one): unpack it "
            "and import the file inside, feed.atom for Blogger or the .xml file for WordPress."
        )
    if head.startswith(b"\x1f\x8b"):
        raise ExportError("This file is compressed (gzip): unpack it first (gunzip), then import.")
    if head_encoding(head) == "utf-8" and b"\x00" in head:
        raise ExportError("This is not a text file, so not an export (an image or a program?).")
    text = head.decode(head_encoding(head), "replace").lstrip("\ufeff")
    if not text.strip():
        raise ExportError("The file is empty: download the export again.")
    body = re.sub(r"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", "", text, flags=re.DOTALL | re.I)
    root = re.search(r"<\s*([A-Za-z_][\w.:-]*)", body)
    name = root.group(1).split(":")[-1].lower() if root else ""
    if name == "feed":
        if "blogger.com" in text or "schemas.google.com/blogger" in text:
            return "blogger"
        raise ExportError(
            "This is an Atom feed, not a Blogger export: in Blogger, use Settings → "
            "Back up content (or Google Takeout) and import that file."
        )
    if name == "rss":
        if "wordpress.org/export" in text:
            return "wordpress"
        raise ExportError(
            "This is an RSS feed, not a WordPress export: in WordPress, use Tools → Export "
            "→ All content and import that file."
        )
    if name == "html" or re.match(r"\s*<!doctype html", text, re.I):
        raise ExportError("This is a web page (HTML), not an export file.")
    raise ExportError(
        "This file is not a Blogger or WordPress export"
        + (f" (its first element is <{root.group(1)}>)." if root else ".")
    )


def check(path, fmt):
    """Read the whole file once, mending what can be mended: the blog, counts, mends, and the
    attachments by id (for the second reading: galleries and featured images name them)."""
    mends = Mends()
    for _attempt in range(MAX_MENDS):
        tally = Tally()
        try:
            tally.read(path, fmt, mends)
            break
        except (ParseError, DefusedXmlException) as error:
            if not mendable(error, path, mends):
                raise ExportError(explain(error, path, after=tally.last_entry())) from None
    else:
        raise ExportError("The file has too many faults to mend safely.")
    blog, held = tally.blog, tally.held
    if blog is None or not (held["post"] + held["page"] + held["comment"] + held["other"]):
        raise ExportError(f"This file holds no entries: it is not {NAMES[fmt]} with content.")
    return blog, held, mends, tally.attachments


class Tally:
    """The entries of the file, per kind: what the ledger must account for at the end; and the
    last one read whole, which is where a damaged file stops making sense."""

    def __init__(self):
        self.held, self.blog, self.last = Counter(), None, None
        self.attachments = {}

    def read(self, path, fmt, mends):
        labels = set()
        for record in READERS[fmt](path, mends):
            if isinstance(record, BlogRecord):
                self.blog = record
                continue
            if isinstance(record, LabelRecord):
                labels.add(record.original_id)
                continue
            self.held[record.kind] += 1
            if isinstance(record, AttachmentRecord) and record.original_id:
                self.attachments[record.original_id] = record
            if isinstance(record, PostRecord):
                self.held["comment"] += len(record.comments)
                labels.update(label_key(label) for label in record.labels)
            self.last = record
        if labels:
            self.held["label"] = len(labels)

    def last_entry(self):
        """The last entry read whole, as the writer would find it in the file, or ""."""
        record = self.last
        if record is None:
            return ""
        title = getattr(record, "title", "") or getattr(record, "name", "")
        title = f" “{title[:80]}”" if title.strip() else ""
        noun = ENTRY_NOUNS.get(record.kind, record.kind)
        return f"the {noun}{title} (id {record.original_id[:100]})"


def label_key(label):
    """Labels are plain names in Blogger and LabelRecords (taxonomy:slug) in WXR."""
    return label.original_id if isinstance(label, LabelRecord) else label


__all__ = ["READERS", "ExportError", "Mends", "check", "sniff"]
