"""Valid, unique slugs from whatever an export holds: emoji, right-to-left text, invisible marks."""

import hashlib
import re
import unicodedata
from urllib.parse import unquote

from anyascii import anyascii
from django.utils.text import slugify


def visible(text):
    """Text without the invisible characters (format marks, zero-width joiners, controls)."""
    return "".join(
        ch for ch in unicodedata.normalize("NFC", text or "") if unicodedata.category(ch)[0] != "C"
    )


def clean_slug(*candidates, fallback_seed="", max_length=200):
    """The first candidate that makes a usable slug: as written, transliterated, or a stable one."""
    for candidate in candidates:
        text = visible(unquote(candidate or ""))
        slug = slugify(text, allow_unicode=True).strip("-_")
        if not slug:
            slug = slugify(anyascii(text).replace(":", " ")).strip("-_")
        if slug:
            return slug[:max_length].strip("-")
    digest = hashlib.sha1(fallback_seed.encode()).hexdigest()[:10]
    return f"untitled-{digest}"


def unique_slug(slug, taken, max_length=200):
    """slug, or slug-2, slug-3... whichever `taken(candidate)` says is free."""
    candidate, n = slug, 1
    while taken(candidate):
        n += 1
        suffix = f"-{n}"
        candidate = f"{slug[: max_length - len(suffix)]}{suffix}"
    return candidate


def slug_from_path(path):
    """Blogger's slug, in its old address: /2024/10/some-post.html -> some-post."""
    last = re.sub(r"[?#].*$", "", path or "").rsplit("/", 1)[-1]
    return last[: last.rfind(".")] if re.search(r"\.html?$", last) else ""
