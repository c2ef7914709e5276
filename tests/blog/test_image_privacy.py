"""Uploads do not tell strangers where a photo was taken, nor where a draft's cover lives."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

from blog.models import Image
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825
MAKE, MODEL, ORIENTATION = 0x010F, 0x0110, 0x0112


def photo_with_exif(name="beach.jpg", orientation=1, size=(64, 32)):
    """A JPEG as a phone writes it: camera, GPS position and an orientation tag."""
    image = PILImage.new("RGB", size, (200, 120, 40))
    exif = PILImage.Exif()
    exif[MAKE], exif[MODEL], exif[ORIENTATION] = "PhoneCo", "Model 7", orientation
    exif[GPS_IFD] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)}
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def stored_exif(field_file):
    field_file.open("rb")
    with PILImage.open(field_file) as image:
        return image.getexif(), image.size


def test_an_uploaded_photo_loses_its_location_and_camera():
    image = Image.objects.create(title="Beach", image=photo_with_exif(), alt_text="A beach")
    exif, _size = stored_exif(image.image)
    assert GPS_IFD not in exif and MAKE not in exif and MODEL not in exif


def test_a_turned_photo_is_stored_upright():
    image = Image.objects.create(
        title="Portrait", image=photo_with_exif(orientation=6), alt_text="Taken sideways"
    )
    exif, size = stored_exif(image.image)
    assert size == (32, 64)  # The orientation tag is applied to the pixels, then dropped.
    assert (image.width, image.height) == (32, 64)
    assert ORIENTATION not in exif


def test_the_author_may_keep_the_metadata_on_purpose():
    image = Image.objects.create(
        title="Where", image=photo_with_exif(), alt_text="A beach", keep_metadata=True
    )
    exif, _size = stored_exif(image.image)
    assert exif[MAKE] == "PhoneCo" and GPS_IFD in exif


def test_a_cover_never_keeps_its_location():
    post = PostFactory(cover=photo_with_exif("cover.jpg"), cover_alt="A beach")
    exif, _size = stored_exif(post.cover)
    assert GPS_IFD not in exif


def test_file_names_cannot_be_guessed_from_the_title():
    names = set()
    for _ in range(2):
        draft = PostFactory(
            draft=True, title="Secret launch", cover=photo_with_exif("secret-launch.jpg"),
            cover_alt="Launch",
        )  # fmt: skip
        names.add(draft.cover.name)
    assert len(names) == 2
    for name in names:
        folder, _, filename = name.rpartition("/")
        assert folder.startswith("covers/")
        stem = filename.removesuffix(".jpg")
        assert stem.startswith("secret-launch-")
        assert len(stem.removeprefix("secret-launch-")) == 12  # 48 random bits


def test_the_images_admin_offers_to_keep_the_metadata(admin_client):
    """docs/writing.md says the upload form under Images can keep it: it must."""
    form = admin_client.get("/admin/blog/image/add/").content.decode()
    assert 'name="keep_metadata"' in form
    admin_client.post(
        "/admin/blog/image/add/",
        {
            "title": "Where",
            "image": photo_with_exif(),
            "alt_text": "A beach",
            "keep_metadata": "on",
        },
    )
    exif, _size = stored_exif(Image.objects.get(title="Where").image)
    assert exif[MAKE] == "PhoneCo" and GPS_IFD in exif
