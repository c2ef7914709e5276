import datetime as dt
import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

OCT_23 = dt.datetime(2024, 10, 23, 9, 0, tzinfo=dt.UTC)


def image_bytes(width=40, height=30, fmt="PNG", color=(200, 80, 40)):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, format=fmt)
    return buffer.getvalue()


def image_upload(name="cover.png", width=40, height=30, fmt="PNG"):
    content_type = "image/png" if fmt == "PNG" else f"image/{fmt.lower()}"
    return SimpleUploadedFile(name, image_bytes(width, height, fmt), content_type=content_type)


def date_header(day, tag="h2"):
    return (
        f'<{tag} class="date-header"><time datetime="{day:%Y-%m-%d}">'
        f"{day:%A, %B} {day.day}, {day.year}</time></{tag}>"
    )


@pytest.fixture
def editor(user_factory):
    """Staff who may change posts, but is not a superuser."""
    user = user_factory(username="editor", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="blog", codename__in=["view_post", "change_post"]
        )
    )
    return user
