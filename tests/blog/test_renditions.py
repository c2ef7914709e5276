"""Renditions in AVIF and WebP beside the original's format, and the <picture> readers get."""

import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from PIL import features

from blog.images import MODERN_FORMATS, RENDITION_WIDTHS, rendition_field_name
from blog.models import Image, Page, Post
from blog.rendering import render_markdown

from .conftest import image_upload

pytestmark = pytest.mark.django_db

FORMATS = (None, *MODERN_FORMATS)


def transparent_png(width=1200, height=600):
    """Half clear, half opaque red: alpha that any flattening would lose."""
    image = PILImage.new("RGBA", (width, height), (0, 0, 0, 0))
    image.paste((200, 30, 30, 255), (0, 0, width // 2, height))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


def opened(settings, file):
    return PILImage.open(Path(settings.MEDIA_ROOT) / file.name)


def library_image(name="harbour.jpg", width=2000, height=1000, fmt="JPEG", alt="Boats"):
    return Image.objects.create(
        title="Harbour", image=image_upload(name, width, height, fmt), alt_text=alt
    )


def test_avif_is_made_where_pillow_can_write_it():
    assert ("AVIF" in MODERN_FORMATS) == features.check("avif")
    assert "WEBP" in MODERN_FORMATS


def test_every_width_exists_in_every_format_and_decodes(settings):
    image = library_image()
    for width in RENDITION_WIDTHS:
        for output_format in FORMATS:
            file = getattr(image, rendition_field_name("image", width, output_format))
            with opened(settings, file) as rendition:
                rendition.load()
                assert rendition.format == (output_format or "JPEG")
                assert rendition.size == (width, width // 2)


def test_a_transparent_png_stays_transparent_in_every_format(settings):
    image = Image.objects.create(title="Logo", image=transparent_png(), alt_text="Logo")
    for output_format in FORMATS:
        file = getattr(image, rendition_field_name("image", 480, output_format))
        with opened(settings, file) as rendition:
            assert rendition.format == (output_format or "PNG")
            pixels = rendition.convert("RGBA")
            assert pixels.getpixel((470, 100))[3] == 0, f"{output_format}: the clear half is kept"
            assert pixels.getpixel((10, 100))[3] == 255


@pytest.mark.parametrize(("name", "fmt", "fallback"), [
    ("photo.jpg", "JPEG", "JPEG"), ("shot.png", "PNG", "PNG"), ("anim.gif", "GIF", "PNG"),
    ("photo.webp", "WEBP", "JPEG"),
])  # fmt: skip
def test_the_fallback_keeps_the_kind_of_format_the_original_had(settings, name, fmt, fallback):
    image = library_image(name, 600, 300, fmt)
    with opened(settings, image.image_960) as rendition:
        assert rendition.format == fallback
        assert rendition.size == (600, 300), "never upscaled"


def test_a_small_image_offers_only_the_widths_it_has():
    image = library_image("small.png", 700, 350, "PNG")
    assert image.rendition_srcset().endswith(" 700w")
    assert [w for w in re.findall(r" (\d+)w", image.rendition_srcset())] == ["480", "700"]


def test_a_library_image_in_markdown_becomes_a_picture_with_its_size():
    image = library_image(alt="Boats at dusk")
    html = render_markdown(f"Look:\n\n![Fishing boats](<{image.image.url}>)\n")
    assert html.startswith("<p>Look:</p>\n<p><picture>")
    if "AVIF" in MODERN_FORMATS:
        assert f'<source type="image/avif" srcset="{image.rendition_srcset("AVIF")}"' in html
    assert f'<source type="image/webp" srcset="{image.rendition_srcset("WEBP")}"' in html
    assert (
        f'<img src="{image.image_960.url}" srcset="{image.rendition_srcset()}" '
        'sizes="(max-width: 44rem) 100vw, 44rem" width="2000" height="1000" '
        'alt="Fishing boats" loading="lazy" decoding="async"></picture>'
    ) in html


def test_the_snippet_renders_as_the_picture_with_its_alt_text_exactly():
    image = library_image(alt='A "harbour" [at dusk] <b>&amp; *stars*')
    html = render_markdown(image.snippet())
    assert "<picture>" in html
    assert 'alt="A &quot;harbour&quot; [at dusk] &lt;b&gt;&amp;amp; *stars*"' in html


def test_an_image_without_alt_text_in_markdown_takes_the_library_one():
    image = library_image(alt="Boats at dusk")
    assert 'alt="Boats at dusk"' in render_markdown(f"![](<{image.image.url}>)")


def test_imported_html_and_old_snippets_pointing_at_a_rendition_become_pictures_too():
    image = library_image()
    imported = f'<div class="imported">\n<p><img src="{image.image.url}" alt="Boats"></p>\n</div>'
    old_snippet = f'<img src="{image.image_960.url}" srcset="{image.image_480.url} 480w" alt="B">'
    for body in (imported, old_snippet):
        html = render_markdown(body)
        assert html.count("<picture>") == 1 and 'width="2000" height="1000"' in html


def test_images_outside_the_library_stay_plain_and_sanitised():
    html = render_markdown(
        "![Elsewhere](https://example.com/images/2026/01/x.jpg)\n\n"
        '<img src="/media/images/2026/01/gone-123456.jpg" onerror="alert(1)" alt="Gone">'
    )
    assert "<picture>" not in html and "onerror" not in html
    assert '<img src="https://example.com/images/2026/01/x.jpg" alt="Elsewhere">' in html


def test_a_body_with_many_images_looks_them_up_in_one_query(django_assert_num_queries):
    images = [library_image(f"p{n}.png", 100, 50, "PNG") for n in range(5)]
    body = "\n\n".join(f"![{n}](<{image.image.url}>)" for n, image in enumerate(images))
    with django_assert_num_queries(1):
        html = render_markdown(body + "\n\n![x](https://example.com/x.png)")
    assert html.count("<picture>") == 5


def test_a_body_with_no_library_image_makes_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        render_markdown("![A cat](/media/cat.png) and ![B](https://example.com/images/b.jpg)")


def test_a_page_body_gets_pictures_too(page_factory):
    image = library_image()
    page = page_factory(body=f"![Boats](<{image.image.url}>)")
    assert "<picture>" in page.body_html


def test_the_cover_keeps_its_size_from_the_upload(post_factory):
    post = post_factory(cover=image_upload("cover.png", 1200, 675), cover_alt="Sea")
    post.refresh_from_db()
    assert (post.cover_width, post.cover_height) == (1200, 675)


def every_img(html):
    return re.findall(r"<img\b[^>]*>", html)


def test_every_img_on_a_post_page_and_the_home_page_has_its_size(client, post_factory):
    image = library_image()
    post = post_factory(
        title="With pictures",
        cover=image_upload("cover.jpg", 1600, 900, "JPEG"),
        cover_alt="The bay",
        body=f"![Boats](<{image.image.url}>)\n\nText.\n\n{image.snippet()}",
    )
    for url in (post.get_absolute_url(), "/"):
        html = client.get(url).content.decode()
        for img in every_img(html):
            assert re.search(r'\swidth="\d+"', img) and re.search(r'\sheight="\d+"', img), img
    page = client.get(post.get_absolute_url()).content.decode()
    assert len(every_img(page)) == 3
    assert page.count("<picture>") == 3


def rerender_bodies():
    import importlib

    from django.apps import apps
    from django.db import connection

    class SchemaEditor:
        pass

    SchemaEditor.connection = connection
    migration = importlib.import_module("blog.migrations.0006_cover_size_and_markdown_it")
    migration.rerender_bodies(apps, SchemaEditor())


def test_the_upgrade_renders_old_posts_and_pages_again_and_records_cover_sizes(
    post_factory, page_factory
):
    image = library_image()
    body = (
        "It's ~~old~~ new.\n\n- [x] done\n\nhttps://youtu.be/dQw4w9WgXcQ\n\n"
        f'<img src="{image.image_960.url}" alt="Boats">\n\nText[^1].\n\n[^1]: A note.'
    )
    post = post_factory(body=body, cover=image_upload("c.png", 800, 400), cover_alt="C")
    page = page_factory(body=body)
    # As Python-Markdown left them, and before covers had a recorded size.
    Post.objects.filter(pk=post.pk).update(
        body_html="<p>It’s ~~old~~ new.</p>", summary="old", cover_width=None, cover_height=None
    )
    Page.objects.filter(pk=page.pk).update(body_html="<p>old</p>")

    rerender_bodies()

    post.refresh_from_db()
    page.refresh_from_db()
    for html in (post.body_html, page.body_html):
        assert "<s>old</s>" in html
        assert 'disabled="disabled"' in html
        assert "youtube-nocookie.com/embed/dQw4w9WgXcQ" in html
        assert "<picture>" in html
        assert 'href="#fn:1"' in html
    assert post.summary.startswith("It’s old new.")
    assert (post.cover_width, post.cover_height) == (800, 400)


def test_the_upgrade_survives_a_cover_whose_file_is_gone(post_factory):
    post = post_factory(cover=image_upload("c.png", 800, 400), cover_alt="C")
    Path(post.cover.path).unlink()
    Post.objects.filter(pk=post.pk).update(cover_width=None, cover_height=None)
    rerender_bodies()
    assert Post.objects.values_list("cover_width", flat=True).get(pk=post.pk) is None


def test_renditions_missing_after_the_upgrade_are_made_by_generateimages(settings):
    from django.core.cache import caches
    from django.core.management import call_command

    image = library_image("old.png", 600, 300, "PNG")
    files = [Path(settings.MEDIA_ROOT) / getattr(image, rendition_field_name("image", 480, f)).name
             for f in FORMATS]  # fmt: skip
    for file in files:
        file.unlink()
    for cache in caches.all():  # imagekit remembers that a file exists; a new name it never saw
        cache.clear()
    call_command("generateimages", "blog", stdout=io.StringIO())
    assert all(file.exists() for file in files)


@pytest.mark.parametrize("fmt", ["GIF", "WEBP"])
def test_an_animation_stays_an_animation_in_the_post(settings, fmt):
    """Every rendition is one still frame: readers get the file as it came."""
    frames = [PILImage.new("RGB", (120, 80), color) for color in ("red", "green", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, format=fmt, save_all=True, append_images=frames[1:], duration=100)
    upload = SimpleUploadedFile(f"spinner.{fmt.lower()}", buffer.getvalue())
    image = Image.objects.create(title="Spinner", image=upload, alt_text="A spinner")
    assert image.is_animated
    with opened(settings, image.image) as stored:
        assert stored.n_frames == 3, "kept whole, not rewritten to its first frame"
    html = render_markdown(f"![It turns](<{image.image.url}>)")
    assert "<picture>" not in html
    assert f'<img src="{image.image.url}" width="120" height="80" alt="It turns"' in html


def test_a_still_gif_still_gets_its_renditions():
    image = library_image(name="still.gif", width=300, height=200, fmt="GIF")
    assert not image.is_animated
    assert "<picture>" in render_markdown(f"![Still](<{image.image.url}>)")


def test_the_upgrade_makes_gifs_uploaded_before_animations_were_known_move(
    settings, post_factory, page_factory
):
    """Before 0009 an animated GIF got still renditions, and posts showed its first frame."""
    import importlib

    from django.apps import apps
    from django.db import connection

    frames = [PILImage.new("RGB", (120, 80), color) for color in ("red", "green", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:], duration=100)
    upload = SimpleUploadedFile("spinner.gif", buffer.getvalue())
    image = Image.objects.create(title="Spinner", image=upload, alt_text="A spinner")
    still = library_image(name="still.gif", width=300, height=200, fmt="GIF")
    body = f"![It turns](<{image.image.url}>)\n\n![Still](<{still.image.url}>)"
    post, page = post_factory(body=body), page_factory(body=body)
    Image.objects.filter(pk=image.pk).update(is_animated=False)  # As 0009 left it.
    before = render_markdown(body)
    Post.objects.filter(pk=post.pk).update(body_html=before)
    Page.objects.filter(pk=page.pk).update(body_html=before)
    assert before.count("<picture>") == 2

    class SchemaEditor:
        pass

    SchemaEditor.connection = connection
    migration = importlib.import_module("blog.migrations.0010_mark_earlier_animations")
    migration.mark_animations(apps, SchemaEditor())

    image.refresh_from_db()
    assert image.is_animated
    for obj in (post, page):
        obj.refresh_from_db()
        assert f'<img src="{image.image.url}" width="120" height="80"' in obj.body_html
        assert obj.body_html.count("<picture>") == 1  # The still GIF keeps its renditions.
