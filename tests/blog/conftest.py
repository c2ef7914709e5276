import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_bytes(width=40, height=30, fmt="PNG", color=(200, 80, 40)):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, format=fmt)
    return buffer.getvalue()


def image_upload(name="cover.png", width=40, height=30, fmt="PNG"):
    content_type = "image/png" if fmt == "PNG" else f"image/{fmt.lower()}"
    return SimpleUploadedFile(name, image_bytes(width, height, fmt), content_type=content_type)


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
