"""The writing area of the post and page forms: the textarea that works without JavaScript,
and the editor's endpoints (preview, image upload, library picker) behind staff permissions."""

import io
import json
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image as PILImage
from pytest_django.asserts import assertContains, assertInHTML

from blog.models import Image, Page, Post
from blog.rendering import render_markdown
from desk.editor import IMAGES_PER_PAGE, MAX_PREVIEW_CHARS, image_markdown

pytestmark = pytest.mark.django_db

RENDER = "/admin/blog/post/editor/render/"
UPLOAD = "/admin/blog/post/editor/images/upload/"
IMAGES = "/admin/blog/post/editor/images/"


def image_bytes(width=64, height=48, fmt="PNG", exif=None):
    buffer = io.BytesIO()
    options = {"exif": exif} if exif is not None else {}
    PILImage.new("RGB", (width, height), (40, 120, 200)).save(buffer, format=fmt, **options)
    return buffer.getvalue()


def upload_file(name="harbour.png", fmt="PNG", **kwargs):
    content_type = {"PNG": "image/png", "JPEG": "image/jpeg"}.get(fmt, "application/octet-stream")
    return SimpleUploadedFile(name, image_bytes(fmt=fmt, **kwargs), content_type=content_type)


def staff_with(user_factory, *codenames, username="writer"):
    user = user_factory(username=username, is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


@pytest.fixture
def writer(user_factory):
    """Writes posts and puts images in them; not a superuser."""
    return staff_with(
        user_factory, "view_post", "add_post", "change_post", "view_image", "add_image"
    )


@pytest.fixture
def writer_client(client, writer):
    client.force_login(writer)
    return client


def make_image(title, alt, name="photo.png"):
    return Image.objects.create(
        title=title, alt_text=alt, image=SimpleUploadedFile(name, image_bytes())
    )


# --- The widget: a plain textarea inside the editor's container ---------------------------


def test_the_post_form_has_a_plain_textarea_inside_the_editor(writer_client):
    response = writer_client.get("/admin/blog/post/add/")

    html = response.content.decode()
    assertInHTML(
        '<textarea name="body" cols="80" rows="24" required aria-describedby="id_body_helptext"'
        ' id="id_body"></textarea>',
        html,
    )
    assert 'class="desk-editor"' in html
    assert f'data-render-url="{RENDER}"' in html
    assert f'data-upload-url="{UPLOAD}"' in html
    assert f'data-images-url="{IMAGES}"' in html
    assertContains(response, "/static/desk/editor.js")
    assertContains(response, "/static/desk/editor.css")


def test_without_javascript_the_textarea_saves_the_post(writer_client, writer):
    response = writer_client.post(
        "/admin/blog/post/add/",
        {
            "title": "Written plainly",
            "slug": "written-plainly",
            "body": "No script *needed*.",
            "publication": "draft",
            "publication_time": "",
            "author": writer.pk,
            "allow_comments": "on",
            "addresses-TOTAL_FORMS": "0",
            "addresses-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    post = Post.objects.get()
    assert post.body == "No script *needed*."
    assert "<em>needed</em>" in post.body_html


def test_the_page_form_has_the_editor_too(user_factory, client):
    client.force_login(staff_with(user_factory, "view_page", "change_page", "add_page"))
    response = client.get("/admin/blog/page/add/")

    assertContains(response, 'data-render-url="/admin/blog/page/editor/render/"')
    assertContains(response, '<textarea name="body"')


# --- The preview: the readers' renderer, for staff who may write -------------------------


def test_preview_is_the_sanitised_html_of_the_renderer(writer_client):
    text = (
        "## Tide\n\n**Low** water at *noon*.\n\n<script>alert('x')</script>\n\n"
        '[bad](javascript:alert(1)) <img src=x onerror="alert(2)">'
    )
    response = writer_client.post(RENDER, {"text": text})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = response.content.decode()
    assert html == render_markdown(text)
    assert "<strong>Low</strong>" in html
    assert "<script" not in html
    assert "javascript:" not in html
    assert "onerror" not in html


def test_preview_is_never_cached(writer_client):
    response = writer_client.post(RENDER, {"text": "x"})

    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ""),
        ("Café — 東京 ☕", "<p>Café — 東京 ☕</p>"),
    ],
)
def test_preview_of_empty_and_unicode_text(writer_client, text, expected):
    response = writer_client.post(RENDER, {"text": text})

    assert response.content.decode().strip() == expected


def test_a_text_too_long_to_preview_is_refused_with_a_sentence(writer_client):
    response = writer_client.post(RENDER, {"text": "a" * (MAX_PREVIEW_CHARS + 1)})

    assert response.status_code == 413
    assert "too long to preview as you type" in response.content.decode()
    assert writer_client.post(RENDER, {"text": "a" * MAX_PREVIEW_CHARS}).status_code == 200


def test_preview_refuses_a_get(writer_client):
    assert writer_client.get(RENDER, {"text": "x"}).status_code == 405


def test_preview_sends_a_visitor_to_the_login_page(client):
    response = client.post(RENDER, {"text": "**x**"})

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("codenames", [(), ("view_post",)])
def test_preview_needs_the_permission_to_write_posts(client, user_factory, codenames):
    client.force_login(staff_with(user_factory, *codenames))

    assert client.post(RENDER, {"text": "**x**"}).status_code == 403


def test_preview_with_only_the_add_permission(client, user_factory):
    client.force_login(staff_with(user_factory, "add_post"))

    assert client.post(RENDER, {"text": "**x**"}).status_code == 200


def test_preview_checks_the_csrf_token(writer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(writer)

    assert client.post(RENDER, {"text": "**x**"}).status_code == 403

    client.get("/admin/blog/post/add/")  # sets the CSRF cookie, as the form page does
    token = client.cookies["csrftoken"].value
    response = client.post(RENDER, {"text": "**x**"}, headers={"X-CSRFToken": token})
    assert response.status_code == 200
    assert "<strong>x</strong>" in response.content.decode()


# --- Upload: into the library, with its checks and renditions -----------------------------


def test_an_uploaded_png_goes_to_the_library_with_renditions(writer_client, settings):
    response = writer_client.post(
        UPLOAD, {"image": upload_file("harbour-at-dawn.png"), "alt_text": "Boats at low tide"}
    )

    assert response.status_code == 201
    image = Image.objects.get()
    assert image.alt_text == "Boats at low tide"
    assert image.title == "harbour at dawn"
    assert (image.width, image.height) == (64, 48)
    assert image.image.url.startswith(settings.MEDIA_URL + "images/")
    for width in (480, 960, 1600):
        rendition = getattr(image, f"image_{width}")
        assert (Path(settings.MEDIA_ROOT) / rendition.name).exists(), f"{width}px rendition"
    answer = response.json()
    assert answer["markdown"] == f"![Boats at low tide]({image.image.url})"
    assert answer["thumbnail"] == image.image_480.url
    assert answer["alt"] == "Boats at low tide"


def test_an_uploaded_jpeg_loses_its_location(writer_client):
    exif = PILImage.Exif()
    exif[0x010F] = "Camera maker"
    exif[0x8825] = {2: (51.0, 30.0, 0.0)}  # GPS latitude
    response = writer_client.post(
        UPLOAD,
        {"image": upload_file("quay.jpg", fmt="JPEG", exif=exif), "alt_text": "The quay"},
    )

    assert response.status_code == 201
    with PILImage.open(Image.objects.get().image.path) as stored:
        assert not stored.getexif()


def test_the_markdown_renders_as_the_image_with_its_alt_text(writer_client, settings):
    answer = writer_client.post(
        UPLOAD, {"image": upload_file(), "alt_text": "A gull on a post"}
    ).json()

    html = render_markdown(answer["markdown"])
    assert 'alt="A gull on a post"' in html
    assert f'src="{settings.MEDIA_URL}' in html, "the original or a rendition, from our media"


def test_bytes_that_are_not_an_image_get_a_clear_sentence(writer_client):
    fake = SimpleUploadedFile("holiday.png", b"<?php system($_GET['c']); ?>" * 20, "image/png")
    response = writer_client.post(UPLOAD, {"image": fake, "alt_text": "Holiday"})

    assert response.status_code == 400
    assert response.json() == {
        "errors": ["This file is not an image Quire can read (JPEG, PNG, GIF or WebP)."]
    }
    assert not Image.objects.exists()


def test_a_file_over_the_limit_gets_a_clear_sentence(writer_client, settings):
    settings.QUIRE_MAX_UPLOAD_BYTES = 100
    response = writer_client.post(UPLOAD, {"image": upload_file(), "alt_text": "Too big"})

    assert response.status_code == 400
    [message] = response.json()["errors"]
    assert message.startswith("This file is ")
    assert message.endswith("the largest image Quire accepts is 100\xa0bytes.")
    assert not Image.objects.exists()


def test_no_file_gets_a_clear_sentence(writer_client):
    response = writer_client.post(UPLOAD, {"alt_text": "Nothing"})

    assert response.status_code == 400
    assert response.json() == {"errors": ["Choose an image file to upload."]}


@pytest.mark.parametrize("alt", ["", "   \n  "])
def test_alt_text_is_asked_for(writer_client, alt):
    response = writer_client.post(UPLOAD, {"image": upload_file(), "alt_text": alt})

    assert response.status_code == 400
    assert response.json() == {
        "errors": ["Describe the image for readers who cannot see it, or mark it as decorative."]
    }
    assert not Image.objects.exists()


def test_a_decorative_image_has_empty_alt_text(writer_client):
    response = writer_client.post(
        UPLOAD, {"image": upload_file("flourish.png"), "alt_text": "ignored", "decorative": "on"}
    )

    assert response.status_code == 201
    image = Image.objects.get()
    assert image.alt_text == ""
    assert image.title == "flourish"
    assert response.json()["markdown"] == f"![]({image.image.url})"
    assert 'alt=""' in render_markdown(response.json()["markdown"])


def test_unicode_alt_text_is_kept_and_its_brackets_escaped(writer_client):
    alt = "Café [closed] on the quay — 東京の港 ☕"
    response = writer_client.post(UPLOAD, {"image": upload_file(), "alt_text": alt})

    assert response.status_code == 201
    image = Image.objects.get()
    assert image.alt_text == alt
    markdown = response.json()["markdown"]
    assert markdown == f"![Café \\[closed\\] on the quay — 東京の港 ☕]({image.image.url})"
    assert f'alt="{alt}"' in render_markdown(markdown)


def test_alt_text_on_several_lines_becomes_one(writer_client):
    response = writer_client.post(
        UPLOAD, {"image": upload_file(), "alt_text": "Two boats\n\n)(and a ![gull]"}
    )

    markdown = response.json()["markdown"]
    assert "\n" not in markdown
    assert 'alt="Two boats )(and a ![gull]"' in render_markdown(markdown)


def test_alt_text_up_to_the_limit_is_taken_and_longer_is_refused(writer_client):
    limit = Image._meta.get_field("alt_text").max_length
    too_long = writer_client.post(UPLOAD, {"image": upload_file(), "alt_text": "é" * (limit + 1)})

    assert too_long.status_code == 400
    assert too_long.json() == {
        "errors": [
            f"Alt text can be at most {limit} characters (this is {limit + 1}): "
            "say what matters here and leave the rest to the post."
        ]
    }
    assert not Image.objects.exists()

    fits = writer_client.post(UPLOAD, {"image": upload_file(), "alt_text": "é" * limit})
    assert fits.status_code == 201
    assert Image.objects.get().alt_text == "é" * limit


def test_a_pasted_screenshot_is_titled_by_its_alt_text(writer_client):
    writer_client.post(UPLOAD, {"image": upload_file("image.png"), "alt_text": "The tide table"})

    assert Image.objects.get().title == "The tide table"


def test_a_file_with_no_extension_is_stored_under_its_real_one(writer_client):
    response = writer_client.post(
        UPLOAD, {"image": upload_file("blob"), "alt_text": "Pasted from the clipboard"}
    )

    assert response.status_code == 201
    assert Image.objects.get().image.name.endswith(".png")


def test_a_title_given_by_the_author_is_kept(writer_client):
    writer_client.post(
        UPLOAD, {"image": upload_file(), "alt_text": "Boats", "title": "Harbour, June"}
    )

    assert Image.objects.get().title == "Harbour, June"


def test_upload_needs_the_permission_to_add_images(client, user_factory):
    client.force_login(staff_with(user_factory, "change_post"))
    response = client.post(UPLOAD, {"image": upload_file(), "alt_text": "Boats"})

    assert response.status_code == 403
    assert response.json() == {
        "errors": ["You may not add images to the library: ask an administrator."]
    }
    assert not Image.objects.exists()


def test_upload_needs_the_permission_to_write_posts(client, user_factory):
    client.force_login(staff_with(user_factory, "add_image", "view_image"))
    response = client.post(UPLOAD, {"image": upload_file(), "alt_text": "B"})

    assert response.status_code == 403
    assert response.json()["errors"]
    assert not Image.objects.exists()


def test_upload_checks_the_csrf_token(writer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(writer)

    assert client.post(UPLOAD, {"image": upload_file(), "alt_text": "B"}).status_code == 403
    assert not Image.objects.exists()


def test_upload_from_the_page_form(client, user_factory):
    client.force_login(staff_with(user_factory, "change_page", "add_image"))
    response = client.post(
        "/admin/blog/page/editor/images/upload/",
        {"image": upload_file(), "alt_text": "The studio"},
    )

    assert response.status_code == 201
    assert Page.objects.count() == 0
    assert Image.objects.get().alt_text == "The studio"


# --- The library picker ----------------------------------------------------------------


def test_the_picker_lists_images_newest_first(writer_client):
    older = make_image("Harbour", "Boats at the quay")
    newer = make_image("Gull", "")

    answer = writer_client.get(IMAGES).json()

    assert [entry["id"] for entry in answer["images"]] == [newer.pk, older.pk]
    first = answer["images"][1]
    assert first == {
        "id": older.pk,
        "title": "Harbour",
        "alt": "Boats at the quay",
        "url": older.image.url,
        "thumbnail": older.image_480.url,
        "width": 64,
        "height": 48,
        "markdown": image_markdown(older.image.url, "Boats at the quay"),
    }
    assert answer["count"] == 2
    assert not answer["has_next"]


def test_the_picker_searches_titles_and_alt_text(writer_client):
    make_image("Harbour", "Boats at the quay")
    make_image("Café", "Two cups on a table")
    make_image("Lighthouse", "A white tower")

    def titles(query):
        answer = writer_client.get(IMAGES, {"q": query}).json()
        return sorted(entry["title"] for entry in answer["images"])

    assert titles("harbour") == ["Harbour"]
    assert titles("CUPS") == ["Café"]
    assert titles("café") == ["Café"]
    assert titles("a") == ["Café", "Harbour", "Lighthouse"]
    assert titles("nothing like it") == []
    assert titles("%") == []
    assert titles("x" * 5000) == []


def test_the_picker_pages(writer_client):
    for number in range(IMAGES_PER_PAGE + 1):
        make_image(f"Photo {number}", f"Photo number {number}")

    first = writer_client.get(IMAGES).json()
    second = writer_client.get(IMAGES, {"page": 2}).json()
    beyond = writer_client.get(IMAGES, {"page": "999"}).json()

    assert len(first["images"]) == IMAGES_PER_PAGE
    assert first["has_next"] and not first["has_previous"]
    assert [entry["title"] for entry in second["images"]] == ["Photo 0"]
    assert second["has_previous"] and not second["has_next"]
    assert beyond["page"] == 2, "a page past the end shows the last"
    assert writer_client.get(IMAGES, {"page": "x"}).json()["page"] == 1


def test_the_picker_needs_the_permission_to_see_images(client, user_factory):
    make_image("Harbour", "Boats")
    client.force_login(staff_with(user_factory, "change_post"))
    response = client.get(IMAGES)

    assert response.status_code == 403
    assert "image library" in json.loads(response.content)["errors"][0]


def test_the_picker_with_the_permission_to_change_images(client, user_factory):
    make_image("Harbour", "Boats")
    client.force_login(staff_with(user_factory, "change_post", "change_image"))

    assert [entry["title"] for entry in client.get(IMAGES).json()["images"]] == ["Harbour"]


def test_the_picker_sends_a_visitor_to_the_login_page(client):
    assert client.get(IMAGES).status_code == 302


def test_the_picker_refuses_a_post(writer_client):
    assert writer_client.post(IMAGES).status_code == 405


def test_the_picker_is_never_a_stored_copy(writer_client):
    make_image("Harbour", "Boats")
    first = writer_client.get(IMAGES)
    make_image("Gull", "A gull")
    second = writer_client.get(IMAGES)

    assert "no-cache" in first["Cache-Control"] or "no-store" in first["Cache-Control"]
    assert [entry["title"] for entry in second.json()["images"]] == ["Gull", "Harbour"]
