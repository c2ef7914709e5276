import io
import os
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

from blog.images import validate_image_upload
from blog.models import Image

from .conftest import image_bytes, image_upload


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF", "WEBP"])
def test_a_real_small_image_is_accepted(fmt):
    upload = image_upload(f"x.{fmt.lower()}", fmt=fmt)
    validate_image_upload(upload)
    assert upload.tell() == 0, "the file is left ready to be saved"


def test_bytes_that_are_not_an_image_are_refused():
    upload = SimpleUploadedFile("cover.png", b"<?php echo 'not an image'; ?>" * 10)
    with pytest.raises(ValidationError) as error:
        validate_image_upload(upload)
    assert error.value.code == "not_an_image"


def test_a_truncated_image_is_refused():
    upload = SimpleUploadedFile("cover.png", image_bytes(200, 200)[:60])
    with pytest.raises(ValidationError) as error:
        validate_image_upload(upload)
    assert error.value.code == "damaged_image"


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_an_image_cut_short_is_refused_never_a_server_error(fmt):
    """A download that stopped half-way: JPEG's and PNG's headers read, WebP's does not."""
    buffer = io.BytesIO()
    PILImage.frombytes("RGB", (600, 400), os.urandom(600 * 400 * 3)).save(buffer, format=fmt)
    cut = buffer.getvalue()[: len(buffer.getvalue()) // 2]
    with pytest.raises(ValidationError) as error:
        validate_image_upload(SimpleUploadedFile(f"photo.{fmt.lower()}", cut))
    assert error.value.code in ("damaged_image", "not_an_image")


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_an_image_cut_short_after_its_header_is_refused_with_a_reason(fmt):
    """A download that stopped half-way: the header reads, the pixels do not."""
    buffer = io.BytesIO()
    PILImage.frombytes("RGB", (600, 400), os.urandom(600 * 400 * 3)).save(buffer, format=fmt)
    whole = buffer.getvalue()
    upload = SimpleUploadedFile(f"photo.{fmt.lower()}", whole[: len(whole) // 2])
    with pytest.raises(ValidationError) as error:
        validate_image_upload(upload)
    assert error.value.code == "damaged_image"
    assert "damaged or cut short" in error.value.messages[0]
    assert upload.tell() == 0


def test_a_file_over_the_size_limit_is_refused(settings):
    data = image_bytes()
    settings.QUIRE_MAX_UPLOAD_BYTES = len(data) - 1
    with pytest.raises(ValidationError) as error:
        validate_image_upload(SimpleUploadedFile("cover.png", data))
    assert error.value.code == "too_large"

    settings.QUIRE_MAX_UPLOAD_BYTES = len(data)
    validate_image_upload(SimpleUploadedFile("cover.png", data))


def test_an_image_over_the_pixel_limit_is_refused(settings):
    settings.QUIRE_MAX_IMAGE_PIXELS = 40 * 30 - 1
    with pytest.raises(ValidationError) as error:
        validate_image_upload(image_upload(width=40, height=30))
    assert error.value.code == "too_many_pixels"

    settings.QUIRE_MAX_IMAGE_PIXELS = 40 * 30
    validate_image_upload(image_upload(width=40, height=30))


def test_the_pixel_limit_message_names_the_limit(settings):
    settings.QUIRE_MAX_IMAGE_PIXELS = 2_500_000
    with pytest.raises(ValidationError) as error:
        validate_image_upload(image_upload(width=2000, height=1500))
    assert error.value.messages == ["This image is 2000×1500 pixels; the limit is 2.5 megapixels."]


@pytest.mark.django_db
def test_cover_keeps_the_original_and_makes_renditions_on_save(post_factory, settings):
    post = post_factory(cover=image_upload("cover.png", 2000, 1000), cover_alt="A red field")

    original = Path(post.cover.path)
    assert original.exists()
    with PILImage.open(original) as kept:
        assert kept.size == (2000, 1000)

    srcset = post.rendition_srcset()
    for width in (480, 960, 1600):
        spec = getattr(post, f"cover_{width}")
        assert f"{spec.url} {width}w" in srcset
        rendition = Path(settings.MEDIA_ROOT) / spec.name
        assert rendition.exists(), f"the {width}px rendition was made when the post was saved"
        with PILImage.open(rendition) as small:
            assert small.size == (width, width // 2)
    assert post.rendition_src() == post.cover_960.url


@pytest.mark.django_db
def test_small_images_are_not_upscaled(post_factory, settings):
    post = post_factory(cover=image_upload("tiny.png", 100, 50), cover_alt="Tiny")
    with PILImage.open(Path(settings.MEDIA_ROOT) / post.cover_1600.name) as rendition:
        assert rendition.size == (100, 50)


@pytest.mark.django_db
def test_post_without_cover_has_no_srcset(post_factory):
    post = post_factory()
    assert post.rendition_srcset() == ""
    assert post.rendition_src() == ""


@pytest.mark.django_db
def test_body_image_records_its_size_and_gives_a_markdown_line_to_paste():
    image = Image.objects.create(
        title="Harbour",
        image=image_upload("harbour.jpg", 1200, 800, "JPEG"),
        alt_text='A "harbour" [at dusk]\n*',
    )
    assert (image.width, image.height) == (1200, 800)
    assert image.snippet() == f'![A \\"harbour\\" \\[at dusk\\] \\*](<{image.image.url}>)'


def test_an_upload_to_a_media_folder_that_cannot_be_written_is_refused_with_a_reason(
    settings, tmp_path
):
    """A full disk or a read-only mount: the author is told, not shown a server error."""
    in_the_way = tmp_path / "a-file"
    in_the_way.write_text("")
    settings.MEDIA_ROOT = str(in_the_way / "media")
    with pytest.raises(ValidationError) as error:
        validate_image_upload(image_upload("cover.png"))
    assert error.value.code == "media_unwritable"
    assert "media folder cannot be written" in error.value.messages[0]


@pytest.mark.parametrize("fmt", ["TIFF", "BMP", "ICO"])
def test_an_image_of_another_format_than_the_four_is_refused(fmt):
    """Pillow reads them; browsers do not all show them, and Quire says it takes four."""
    upload = image_upload("x.png", fmt=fmt)
    with pytest.raises(ValidationError) as error:
        validate_image_upload(upload)
    assert error.value.code == "not_an_image"


@pytest.mark.parametrize("name", ["cover.pdf", "cover.svg", "cover.html", "cover"])
def test_an_image_under_another_name_is_refused_since_it_is_served_by_its_name(name):
    upload = image_upload(name, fmt="PNG")
    with pytest.raises(ValidationError) as error:
        validate_image_upload(upload)
    assert error.value.code == "wrong_extension"
    assert ".jpg, .png, .gif or .webp" in error.value.messages[0]
