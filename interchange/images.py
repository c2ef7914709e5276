"""--download-images: every image a post uses is fetched from the old host into our storage.

Only hosts that served the old blog's images are asked (QUIRE_IMPORT_IMAGE_HOSTS, the blog's own
host for /wp-content/, --image-host): an export is untrusted and must not make us fetch anything.
"""

import ipaddress
import posixpath
import re
import urllib.error
import urllib.request
from html import unescape
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from blog.images import validate_image_upload
from blog.models import Image

from .ledger import CREATED, FAILED, SKIPPED, UNCHANGED
from .slugs import clean_slug

IMG_SRC = re.compile(r"""(<img\b[^>]*?\bsrc=)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)
A_HREF = re.compile(r"""(<a\b[^>]*?\bhref=)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)
IMAGE_PATH = re.compile(r"\.(?:jpe?g|png|gif|webp)$", re.IGNORECASE)
ALT = re.compile(r"""\balt=(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)
TIMEOUT = 15


class ImageFetcher:
    """Fetches, stores and remembers images; bound to a Loader for its ledger and provenance."""

    def __init__(self, *, hosts):
        self.hosts = [h.lower().lstrip(".") for h in hosts if h]
        self.loader = None
        self.failed = {}  # url -> reason, so a broken image is asked for once per run

    def bind(self, loader):
        self.loader = loader

    def allowed(self, url):
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if parts.scheme not in ("http", "https") or not host:
            return False
        if any(host == h or host.endswith(f".{h}") for h in self.hosts):
            return True
        own = host in {h.split(":")[0] for h in self.loader.old_hosts} if self.loader else False
        return own and "/wp-content/" in parts.path and not is_private(host)

    def localise(self, obj):
        """Point the body's images at our copies; list those that could not be fetched."""
        body = obj.body

        def replace(match, need_image_path=False):
            url = unescape(match.group(3))
            if not self.allowed(url) or (
                need_image_path and not IMAGE_PATH.search(urlsplit(url).path)
            ):
                return match.group(0)
            tag = match.string[match.start() : match.string.find(">", match.end()) + 1]
            alt = ALT.search(tag) if tag.lower().startswith("<img") else None
            try:
                with transaction.atomic():
                    image, _outcome, reason = self.fetch(
                        url, title=str(obj), alt=unescape(alt.group(2)) if alt else ""
                    )
            except Exception as error:  # An image must not cost the post it is in.
                image, reason = None, f"could not be stored: {error}"
            if image is None:
                self.loader.ledger.note(
                    f"Image {url} in {str(obj)!r} not fetched ({reason}): left pointing there."
                )
                return match.group(0)
            return f"{match.group(1)}{match.group(2)}{image.image.url}{match.group(2)}"

        body = IMG_SRC.sub(replace, body)
        body = A_HREF.sub(lambda m: replace(m, need_image_path=True), body)
        if body == obj.body:
            return False
        obj.body = body
        obj.save()
        return True

    def fetch(self, url, *, title="", alt=""):
        """(Image or None, ledger outcome, reason). `alt`: the image's own alt text, if the
        file gives one (the <img>, the attachment); else the library image gets the title."""
        provenance = self.loader.provenance
        found = provenance.find("image", url)  # One Image per address, however many posts use it.
        if found is not None:
            return found, UNCHANGED, ""
        if url in self.failed:
            return None, *self.failed[url]
        if not self.allowed(url):
            return self.fail(url, "its host is not one images are fetched from")
        try:
            data = download(url)
            name = filename(url)
            upload = ContentFile(data, name=name)
            validate_image_upload(upload)
        except urllib.error.HTTPError as error:
            # Gone (4xx) is for good; a server error may pass, as a network's does.
            again = error.code >= 500
            return self.fail(url, f"the old host answered HTTP {error.code}", again=again)
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            return self.fail(url, f"could not be fetched: {reason}", again=True)
        except ValueError as error:
            return self.fail(url, f"could not be fetched: {error}")
        except ValidationError as error:
            return self.fail(url, " ".join(error.messages))
        image = Image(title=(title or name)[:200], alt_text=(alt or title or name)[:300])
        image.image.save(name, upload, save=False)
        image.save()
        provenance.bind(kind="image", original_id=url, occurrence=1, obj=image)
        return image, CREATED, ""

    def fail(self, url, reason, *, again=False):
        """A failure a later run may not meet (the network, the old host's server) is FAILED,
        so the ledger says to run the import again; one it will meet again is SKIPPED."""
        if again:
            reason = f"{reason}: run the import again to fetch it"
        self.failed[url] = (FAILED if again else SKIPPED, reason)
        return None, *self.failed[url]


def download(url):
    limit = settings.QUIRE_MAX_UPLOAD_BYTES
    request = urllib.request.Request(url, headers={"User-Agent": "Quire importer"})
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 (checked)
        data = response.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"larger than the {limit // (1024 * 1024)} MB limit")
    return data


def filename(url):
    base = posixpath.basename(unquote(urlsplit(url).path)) or "image"
    stem, dot, ext = base.rpartition(".")
    stem = clean_slug(stem or base, fallback_seed=url, max_length=80)
    ext = ext.lower() if dot and ext.lower() in ("jpg", "jpeg", "png", "gif", "webp") else "jpg"
    return f"{stem}.{ext}"


def is_private(host):
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_private or address.is_loopback or address.is_link_local
