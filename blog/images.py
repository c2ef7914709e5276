"""Upload checks and renditions for the images an author puts on the blog."""

import io
import logging
import os
import posixpath
import re
import secrets
import tempfile
from html import escape, unescape
from urllib.parse import unquote, urlsplit

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from imagekit import ImageSpec, register
from imagekit.models import ImageSpecField
from imagekit.processors import ResizeToFit
from PIL import Image as PILImage
from PIL import ImageOps, features

logger = logging.getLogger(__name__)

RENDITION_WIDTHS = (480, 960, 1600)


def media_problem():
    """Why uploads cannot be stored now (media on this machine that cannot be written: a full
    disk, a read-only mount), as a sentence; "" when they can, or when media is elsewhere."""
    storage = default_storage
    if not isinstance(storage, FileSystemStorage):
        return ""
    try:
        os.makedirs(storage.location, exist_ok=True)
        with tempfile.TemporaryFile(dir=storage.location) as probe:
            probe.write(b"x")
            probe.flush()
    except OSError as error:
        logger.error("The media folder %s cannot be written: %s", storage.location, error)
        return (
            "Images cannot be stored just now: the site's media folder cannot be written "
            f"({error.strerror or error}). Nothing was saved; tell whoever runs the site."
        )
    return ""


# What Quire takes, what it says it takes, and what every browser shows. Pillow reads many
# more (TIFF, BMP, ICO, and EPS through Ghostscript): it is told to try these alone.
ACCEPTED_FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
ACCEPTED_EXTENSIONS = ("jpg", "jpeg", "png", "gif", "webp")


def validate_image_upload(file):
    """A real image within the size and pixel limits: Pillow decodes the header to be sure."""
    if getattr(file, "_committed", False):
        return  # Stored already, so checked on upload; its file may be closed (a 500 on save).
    problem = media_problem()
    if problem:
        raise ValidationError(problem, code="media_unwritable")
    extension = posixpath.splitext(file.name or "")[1].lstrip(".").lower()
    if extension not in ACCEPTED_EXTENSIONS:
        # The file is served by its name: a PNG called .pdf would go out as a PDF.
        raise ValidationError(
            "Quire takes images named .jpg, .png, .gif or .webp; this file's name ends in "
            "%(extension)s.",
            params={"extension": f".{extension}" if extension else "nothing"},
            code="wrong_extension",
        )
    if file.size > settings.QUIRE_MAX_UPLOAD_BYTES:
        raise ValidationError(
            "This file is %(size)s; the largest image Quire accepts is %(limit)s.",
            params={
                "size": filesizeformat(file.size),
                "limit": filesizeformat(settings.QUIRE_MAX_UPLOAD_BYTES),
            },
            code="too_large",
        )
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        with PILImage.open(file, formats=ACCEPTED_FORMATS) as image:
            width, height = image.size
    except PILImage.DecompressionBombError as error:
        file.seek(position)
        raise ValidationError(
            "This image has too many pixels to process.", code="too_many_pixels"
        ) from error
    except Exception as error:
        file.seek(position)
        raise ValidationError(
            "This file is not an image Quire can read (JPEG, PNG, GIF or WebP).",
            code="not_an_image",
        ) from error
    if width * height > settings.QUIRE_MAX_IMAGE_PIXELS:
        file.seek(position)
        raise ValidationError(
            "This image is %(width)s×%(height)s pixels; the limit is %(limit)s megapixels.",
            params={
                "width": width,
                "height": height,
                "limit": f"{settings.QUIRE_MAX_IMAGE_PIXELS / 1_000_000:g}",
            },
            code="too_many_pixels",
        )
    # An image whose header reads: now every pixel, or a file cut short (a failed transfer)
    # would fail the save that rewrites and resizes it, with nothing said.
    try:
        file.seek(0)
        with PILImage.open(file, formats=ACCEPTED_FORMATS) as image:
            image.verify()
        file.seek(0)
        with PILImage.open(file, formats=ACCEPTED_FORMATS) as image:
            image.load()
    except Exception as error:
        raise ValidationError(
            "This image is damaged or cut short (in a download or a copy, perhaps): Quire "
            "cannot read it whole. Export or download it again.",
            code="damaged_image",
        ) from error
    finally:
        file.seek(position)


# AVIF where this Pillow can write it, then WebP; the <img> keeps the original's own format.
MODERN_FORMATS = ("AVIF", "WEBP") if features.check("avif") else ("WEBP",)
MIME_TYPES = {"AVIF": "image/avif", "WEBP": "image/webp", "JPEG": "image/jpeg", "PNG": "image/png"}
SAVE_OPTIONS = {
    "AVIF": {"quality": 60, "speed": 6},
    "WEBP": {"quality": 80, "method": 4},
    "JPEG": {"quality": 82, "progressive": True, "optimize": True},
    "PNG": {"optimize": True},
}
# Photographs fall back to JPEG; PNG and GIF (drawings, screenshots, transparency) to PNG.
PHOTO_EXTENSIONS = (".jpg", ".jpeg", ".webp")
# A column of text is 44rem wide at most; on a phone an image takes the whole width.
BODY_SIZES = "(max-width: 44rem) 100vw, 44rem"


def fallback_format(name):
    """From the name alone: a page lists renditions without opening the original."""
    return "JPEG" if posixpath.splitext(name or "")[1].lower() in PHOTO_EXTENSIONS else "PNG"


class ForWeb:
    """RGBA where the image has any transparency and the format keeps it, RGB otherwise (a
    transparent PNG saved as JPEG would turn black where it was clear: it goes on white)."""

    def __init__(self, keep_alpha):
        self.keep_alpha = keep_alpha

    def process(self, image):
        transparent = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        if not transparent:
            return image.convert("RGB")
        image = image.convert("RGBA")
        if self.keep_alpha:
            return image
        background = PILImage.new("RGBA", image.size, (255, 255, 255, 255))
        return PILImage.alpha_composite(background, image).convert("RGB")


class Rendition(ImageSpec):
    """One width in one format; the fallback's format follows the original's (fallback_format)."""

    width = None
    output_format = None  # None: the fallback
    autoconvert = False  # pilkit would flatten transparency for AVIF: ForWeb decides instead

    @property
    def format(self):
        return self.output_format or fallback_format(getattr(self.source, "name", ""))

    @property
    def options(self):
        return SAVE_OPTIONS[self.format]

    @property
    def processors(self):
        return [
            ForWeb(keep_alpha=self.format != "JPEG"),
            ResizeToFit(width=self.width, upscale=False),
        ]


def rendition_spec(width, output_format=None):
    suffix = f"_{output_format.lower()}" if output_format else ""
    spec = type(
        f"Rendition{width}{suffix}", (Rendition,), {"width": width, "output_format": output_format}
    )
    register.generator(f"quire:rendition_{width}{suffix}", spec)
    return spec


RENDITION_SPECS = {
    (width, output_format): rendition_spec(width, output_format)
    for width in RENDITION_WIDTHS
    for output_format in (None, *MODERN_FORMATS)
}


def rendition_field_name(source, width, output_format=None):
    """cover_960 (the fallback), cover_960_webp, cover_960_avif."""
    suffix = f"_{output_format.lower()}" if output_format else ""
    return f"{source}_{width}{suffix}"


def add_renditions(model, source):
    """An ImageSpecField for each width and format, made when the image is saved (Optimistic)."""
    for (width, output_format), spec in RENDITION_SPECS.items():
        field = ImageSpecField(source=source, spec=spec)
        model.add_to_class(rendition_field_name(source, width, output_format), field)
    model.rendition_source = source


class RenditionsMixin:
    """For a model with add_renditions(): srcsets, a default src and the picture to show.

    `rendition_size_fields` name the fields holding the original's width and height."""

    rendition_source = "image"
    rendition_size_fields = ("width", "height")

    def rendition_size(self):
        width_field, height_field = self.rendition_size_fields
        return getattr(self, width_field) or 0, getattr(self, height_field) or 0

    def _renditions(self, output_format=None):
        """(file, width it really has): renditions are never wider than the original, and a
        width the original lacks is not offered twice."""
        original_width = self.rendition_size()[0] or max(RENDITION_WIDTHS)
        seen, renditions = set(), []
        for width in RENDITION_WIDTHS:
            actual = min(width, original_width)
            if actual not in seen:
                seen.add(actual)
                name = rendition_field_name(self.rendition_source, width, output_format)
                renditions.append((getattr(self, name), actual))
        return renditions

    def rendition_srcset(self, output_format=None):
        if not getattr(self, self.rendition_source):
            return ""
        return ", ".join(f"{file.url} {width}w" for file, width in self._renditions(output_format))

    def rendition_src(self):
        if not getattr(self, self.rendition_source):
            return ""
        return getattr(self, f"{self.rendition_source}_960").url

    def rendition_urls(self):
        """Every address of this image: the original and each rendition."""
        urls = {getattr(self, self.rendition_source).url}
        for width, output_format in RENDITION_SPECS:
            name = rendition_field_name(self.rendition_source, width, output_format)
            urls.add(getattr(self, name).url)
        return urls

    def picture(self, *, alt, title="", sizes=BODY_SIZES, is_above_the_fold=False):
        """<picture>: AVIF and WebP for browsers that take them, the original's format for the
        rest; width and height so the page keeps the image's place before it arrives."""
        if not getattr(self, self.rendition_source):
            return ""
        if getattr(self, "is_animated", False):
            return self.animated_img(alt=alt, title=title)
        sources = "".join(
            f'<source type="{MIME_TYPES[output_format]}" '
            f'srcset="{escape(self.rendition_srcset(output_format))}" sizes="{escape(sizes)}">'
            for output_format in MODERN_FORMATS
        )
        width, height = self.rendition_size()
        size = f' width="{width}" height="{height}"' if width and height else ""
        title = f' title="{escape(title)}"' if title else ""
        loading = (
            'fetchpriority="high" decoding="async"'
            if is_above_the_fold
            else 'loading="lazy" decoding="async"'
        )
        return mark_safe(  # noqa: S308 (every value above is escaped)
            f"<picture>{sources}"
            f'<img src="{escape(self.rendition_src())}" '
            f'srcset="{escape(self.rendition_srcset())}" sizes="{escape(sizes)}"{size} '
            f'alt="{escape(alt)}"{title} {loading}></picture>'
        )

    def animated_img(self, *, alt, title=""):
        """The file as it came: every rendition is one still frame of an animation."""
        source = getattr(self, self.rendition_source)
        width, height = getattr(self, "width", 0), getattr(self, "height", 0)
        size = f' width="{width}" height="{height}"' if width and height else ""
        title = f' title="{escape(title)}"' if title else ""
        return mark_safe(  # noqa: S308 (every value is escaped)
            f'<img src="{escape(source.url)}"{size} alt="{escape(alt)}"{title} '
            'loading="lazy" decoding="async">'
        )


def is_animation(field_file):
    """Whether the image has more than one frame (an animated GIF or WebP)."""
    try:
        field_file.seek(0)
        with PILImage.open(field_file) as image:
            return bool(getattr(image, "is_animated", False))
    except Exception:  # Checked on upload already; a file gone since is no animation.
        return False
    finally:
        field_file.seek(0)


IMG_TAG = re.compile(r'<img\s(?:[^>"]|"[^"]*")*>')
ATTRIBUTE = re.compile(r'([\w-]+)(?:="([^"]*)")?')
# /media/images/2026/12/harbour-1a2b3c.jpg, or a rendition of it as old snippets linked:
# /media/renditions/images/2026/12/harbour-1a2b3c/<hash>.jpg
ORIGINAL_PATH = re.compile(r"/(images/[^?#]+\.(?:jpe?g|png|gif|webp))$", re.IGNORECASE)
LIBRARY_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".JPG", ".JPEG", ".PNG")


def library_names(src, prefix):
    """The names a blog.Image stored under that URL could have (checked against its URL)."""
    if not src.startswith(prefix):
        return []
    path = unquote(urlsplit(src).path)
    rendition = re.search(
        rf"/{re.escape(settings.IMAGEKIT_CACHEFILE_DIR)}/(images/.+)/[0-9a-f]{{32}}\.\w+$", path
    )
    if rendition:
        return [rendition.group(1) + extension for extension in LIBRARY_EXTENSIONS]
    if original := ORIGINAL_PATH.search(path):
        return [original.group(1)]
    return []


def storage_prefix(model):
    """Where the storage's URLs start (/media/, or the bucket's address), asked without I/O."""
    probe = "images/probe.jpg"
    url = model._meta.get_field("image").storage.url(probe).split("?")[0]
    return url[: -len(probe)] if url.endswith(probe) else url


def library_pictures(html):
    """Each <img> of an image in our library becomes its <picture>: one query for the body."""
    tags = {tag: dict(ATTRIBUTE.findall(tag[4:-1])) for tag in set(IMG_TAG.findall(html))}
    if not tags:
        return html
    model = apps.get_model("blog", "Image")
    prefix = storage_prefix(model)
    candidates = {
        name
        for attributes in tags.values()
        for name in library_names(unescape(attributes.get("src", "")), prefix)
    }
    if not candidates:
        return html
    # Only the columns a picture needs: the 0006 migration renders with this too.
    library = model.objects.filter(image__in=candidates).only(
        "image", "width", "height", "alt_text", "is_animated"
    )
    by_url = {url: image for image in library for url in image.rendition_urls()}
    pictures = {}
    for tag, attributes in tags.items():
        image = by_url.get(unescape(attributes.get("src", "")))
        if image is not None:
            alt = unescape(attributes.get("alt", "")) or image.alt_text
            pictures[tag] = image.picture(alt=alt, title=unescape(attributes.get("title", "")))
    if not pictures:
        return html
    return IMG_TAG.sub(lambda match: pictures.get(match.group(0), match.group(0)), html)


def unguessable_upload_to(folder):
    """covers/2026/12/<name>-<random>.jpg: readable, yet no one finds the cover of a draft by
    guessing from its slug or title before the post is out."""

    def upload_to(instance, filename):
        stem, extension = posixpath.splitext(posixpath.basename(filename))
        name = slugify(stem)[:60] or "image"
        return f"{folder}/{timezone.now():%Y/%m}/{name}-{secrets.token_hex(6)}{extension.lower()}"

    upload_to.__qualname__ = upload_to.__name__ = f"upload_to_{folder}"
    return upload_to


# Formats whose metadata we rewrite; others (GIF animations) are kept as they came.
REWRITABLE_FORMATS = {"JPEG", "PNG", "WEBP"}


def strip_metadata(field_file):
    """Drop EXIF (GPS position, camera, serial numbers) and XMP from a new upload, keeping how
    it looks: the orientation is applied to the pixels, the colour profile is kept."""
    if not field_file or getattr(field_file, "_committed", True):
        return  # Nothing new: an image already stored was stripped when it came.
    field_file.seek(0)
    with PILImage.open(field_file) as image:
        image_format = image.format
        if image_format not in REWRITABLE_FORMATS or getattr(image, "is_animated", False):
            field_file.seek(0)  # Rewritten, an animation would keep its first frame only.
            return
        upright = ImageOps.exif_transpose(image)
        options = {"format": image_format}
        if icc_profile := image.info.get("icc_profile"):
            options["icc_profile"] = icc_profile
        if image_format == "JPEG":
            options.update(quality=92, optimize=True)
        buffer = io.BytesIO()
        upright.save(buffer, **options)
    field_file.file = ContentFile(buffer.getvalue(), name=field_file.name)
    field_file.__dict__.pop("_dimensions_cache", None)  # A turned photo swaps its sides.


upload_to_covers = unguessable_upload_to("covers")
upload_to_images = unguessable_upload_to("images")  # library_names() knows this folder
