"""Upload checks and renditions for the images an author puts on the blog."""

import io
import posixpath
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import slugify
from imagekit import ImageSpec, register
from imagekit.processors import ResizeToFit
from PIL import Image as PILImage
from PIL import ImageOps

RENDITION_WIDTHS = (480, 960, 1600)


def validate_image_upload(file):
    """A real image within the size and pixel limits: Pillow decodes the header to be sure."""
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
        with PILImage.open(file) as image:
            width, height = image.size
            image.verify()
    except PILImage.DecompressionBombError as error:
        raise ValidationError(
            "This image has too many pixels to process.", code="too_many_pixels"
        ) from error
    except Exception as error:
        raise ValidationError(
            "This file is not an image Quire can read (JPEG, PNG, GIF or WebP).",
            code="not_an_image",
        ) from error
    finally:
        file.seek(position)
    if width * height > settings.QUIRE_MAX_IMAGE_PIXELS:
        raise ValidationError(
            "This image is %(width)s×%(height)s pixels; the limit is %(limit)s megapixels.",
            params={
                "width": width,
                "height": height,
                "limit": f"{settings.QUIRE_MAX_IMAGE_PIXELS / 1_000_000:g}",
            },
            code="too_many_pixels",
        )


def rendition_spec(width):
    class Rendition(ImageSpec):
        processors = [ResizeToFit(width=width, upscale=False)]
        format = "JPEG"
        options = {"quality": 82, "progressive": True}

    Rendition.__name__ = f"Rendition{width}"
    register.generator(f"quire:rendition_{width}", Rendition)
    return Rendition


RENDITION_SPECS = {width: rendition_spec(width) for width in RENDITION_WIDTHS}


class RenditionsMixin:
    """For a model whose image field is named by `rendition_source`: srcset and a default src."""

    rendition_source = "image"

    def _renditions(self):
        return [
            (width, getattr(self, f"{self.rendition_source}_{width}")) for width in RENDITION_WIDTHS
        ]

    def rendition_srcset(self):
        if not getattr(self, self.rendition_source):
            return ""
        return ", ".join(f"{spec.url} {width}w" for width, spec in self._renditions())

    def rendition_src(self):
        if not getattr(self, self.rendition_source):
            return ""
        return getattr(self, f"{self.rendition_source}_960").url


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
        if image_format not in REWRITABLE_FORMATS:
            field_file.seek(0)
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
upload_to_images = unguessable_upload_to("images")
