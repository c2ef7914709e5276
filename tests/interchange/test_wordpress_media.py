"""What WordPress expands on display (galleries, audio, video, playlists) and its featured
images, read as they showed there; and covers written out as featured images."""

import io
import re
import xml.etree.ElementTree as ET

from django.core.management import call_command

from blog.models import Post

from ..blog.conftest import image_upload
from .conftest import ledger_line, run, wxr, wxr_item
from .test_images import old_host  # noqa: F401 (a fixture)


def attachment(n, url, parent="0", alt="", caption="", title=None):
    alt_meta = (
        f"<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key>"
        f"<wp:meta_value><![CDATA[{alt}]]></wp:meta_value></wp:postmeta>"
        if alt
        else ""
    )
    return f"""<item><title>{title or f"File {n}"}</title>
<excerpt:encoded><![CDATA[{caption}]]></excerpt:encoded>
<wp:post_id>{n}</wp:post_id><wp:post_parent>{parent}</wp:post_parent>
<wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status>
<wp:attachment_url>{url}</wp:attachment_url>{alt_meta}</item>
"""


def featured(item, attachment_id):
    meta = (
        "<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key>"
        f"<wp:meta_value>{attachment_id}</wp:meta_value></wp:postmeta>"
    )
    return item.replace("</item>", f"{meta}</item>")


UPLOADS = "https://old.example.com/wp-content/uploads/2020/04"


def test_a_gallery_shows_its_images_with_their_alt_texts_and_captions(db, write_file, client):
    # As WordPress writes it: the attachments after the post that shows them.
    path = write_file(
        wxr(
            wxr_item(1, body='Our trip.\n\n[gallery ids="12,11" columns="2"]\n\nThe end.'),
            attachment(11, f"{UPLOADS}/boat.jpg", parent="1", alt="A red boat"),
            attachment(12, f"{UPLOADS}/hill.jpg", parent="1", caption="The <em>long</em> climb"),
            attachment(13, f"{UPLOADS}/notes.pdf", parent="1"),
        )
    )
    run("import_wordpress", path)
    html = Post.objects.get().body_html
    assert "[gallery" not in html
    assert '<div class="gallery">' in html
    hill, boat = html.index("hill.jpg"), html.index("boat.jpg")
    assert hill < boat, "in the order the gallery names them"
    assert f'<img src="{UPLOADS}/boat.jpg" alt="A red boat"' in html
    assert "<figcaption>The <em>long</em> climb</figcaption>" in html
    assert "notes.pdf" not in html
    page = client.get(Post.objects.get().get_absolute_url()).content.decode()
    assert "A red boat" in page and "The end." in page


def test_a_gallery_without_ids_shows_the_images_attached_to_its_post(db, write_file):
    path = write_file(
        wxr(
            attachment(9, f"{UPLOADS}/elsewhere.jpg", parent="2"),
            wxr_item(1, body='[gallery exclude="5"]'),
            attachment(10, f"{UPLOADS}/second.jpg", parent="1"),
            attachment(5, f"{UPLOADS}/excluded.jpg", parent="1"),
            attachment(8, f"{UPLOADS}/first.jpg", parent="1"),
        )
    )
    run("import_wordpress", path)
    html = Post.objects.get().body_html
    assert html.index("first.jpg") < html.index("second.jpg")
    assert "excluded.jpg" not in html and "elsewhere.jpg" not in html


def test_audio_video_and_playlists_become_links_to_their_files(db, write_file):
    body = (
        f'[audio mp3="{UPLOADS}/song%20one.mp3"][/audio]\n\n'
        f'[video width="640" height="360" mp4="{UPLOADS}/clip.mp4"][/video]\n\n'
        "[video src='https://www.youtube.com/watch?v=dQw4w9WgXcQ']\n\n"
        '[playlist ids="21,22"]'
    )
    path = write_file(
        wxr(
            wxr_item(1, body=body),
            attachment(21, f"{UPLOADS}/a.mp3", title="Side A"),
            attachment(22, f"{UPLOADS}/b.ogg", title="Side B"),
        )
    )
    run("import_wordpress", path)
    html = Post.objects.get().body_html
    links = dict(
        (text, href) for href, text in re.findall(r'<a href="([^"]*)"[^>]*>([^<]*)</a>', html)
    )
    assert links["Listen: song one.mp3"] == f"{UPLOADS}/song%20one.mp3"
    assert links["Watch: clip.mp4"] == f"{UPLOADS}/clip.mp4"
    assert "youtube-nocookie.com/embed/dQw4w9WgXcQ" in html
    assert links["Side A"] == f"{UPLOADS}/a.mp3" and links["Side B"] == f"{UPLOADS}/b.ogg"
    assert "[audio" not in html and "[/video]" not in html and "[playlist" not in html


def test_a_featured_image_becomes_the_cover_when_images_are_fetched(db, write_file, old_host):  # noqa: F811
    url = f"{old_host}/wp-content/uploads/cover.png"
    path = write_file(
        wxr(
            featured(wxr_item(1), 40),
            featured(wxr_item(2), 41),
            attachment(40, url, parent="1", alt="The harbour at dawn"),
            attachment(41, f"{old_host}/wp-content/uploads/missing.png", parent="2"),
        )
    )
    out = run("import_wordpress", path, "--download-images", "--image-host", "127.0.0.1")
    post = Post.objects.get(title="Post 1")
    assert post.cover and post.cover_alt == "The harbour at dawn"
    assert (post.cover_width, post.cover_height) == (64, 48)
    assert "featured image" in out and "'Post 2'" in out and "has no cover" in out
    assert not Post.objects.get(title="Post 2").cover
    # A cover chosen here stays, and the same file again changes nothing.
    again = run("import_wordpress", path, "--download-images", "--image-host", "127.0.0.1")
    assert "2 unchanged" in again
    assert Post.objects.get(title="Post 1").cover.name == post.cover.name


def test_without_fetching_the_ledger_counts_the_featured_images_left_behind(db, write_file):
    path = write_file(
        wxr(featured(wxr_item(1), 40), attachment(40, f"{UPLOADS}/c.png", parent="1"))
    )
    out = run("import_wordpress", path)
    assert "1 post(s) have a featured image on the old blog" in out
    assert "--download-images" in out
    assert not Post.objects.get().cover


def test_covers_go_out_as_featured_images(post_factory):
    post = post_factory(cover=image_upload("c.png", 80, 40), cover_alt="A cover")
    plain = post_factory(title="No cover")
    out = io.StringIO()
    call_command("export_wordpress", stdout=out)
    channel = ET.fromstring(out.getvalue()).find("channel")
    ns = {"wp": "http://wordpress.org/export/1.2/"}
    items = {item.findtext("wp:post_id", namespaces=ns): item for item in channel.iter("item")}
    meta = {
        m.findtext("wp:meta_key", namespaces=ns): m.findtext("wp:meta_value", namespaces=ns)
        for m in items[str(post.pk)].findall("wp:postmeta", ns)
    }
    cover = items[meta["_thumbnail_id"]]
    assert cover.findtext("wp:post_type", namespaces=ns) == "attachment"
    assert cover.findtext("wp:post_parent", namespaces=ns) == str(post.pk)
    assert cover.findtext("wp:attachment_url", namespaces=ns).endswith(post.cover.url)
    alt = {
        m.findtext("wp:meta_key", namespaces=ns): m.findtext("wp:meta_value", namespaces=ns)
        for m in cover.findall("wp:postmeta", ns)
    }
    assert alt["_wp_attachment_image_alt"] == "A cover"
    assert not any(
        m.findtext("wp:meta_key", namespaces=ns) == "_thumbnail_id"
        for m in items[str(plain.pk)].findall("wp:postmeta", ns)
    )


def test_a_list_written_right_after_a_line_of_text_gets_no_line_breaks_inside(db, write_file):
    body = "Things to pack:\n<ul>\n<li>Boots</li>\n<li>Map</li>\n</ul>\nThat is all.\nReally."
    run("import_wordpress", write_file(wxr(wxr_item(1, body=body))))
    html = Post.objects.get().body_html
    assert "<p>Things to pack:</p>" in html
    assert "<ul>\n<li>Boots</li>\n<li>Map</li>\n</ul>" in html
    assert "<p>That is all.<br>\nReally.</p>" in html


def test_an_address_alone_on_its_line_is_the_video_wordpress_showed(db, write_file):
    body = (
        "Watch this:\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n\n"
        "And see https://vimeo.com/76979871 in a sentence.\n\nhttps://example.com/not-a-video"
    )
    run("import_wordpress", write_file(wxr(wxr_item(1, body=body))))
    html = Post.objects.get().body_html
    assert html.count("<iframe") == 1 and "youtube-nocookie.com/embed/dQw4w9WgXcQ" in html
    assert "player.vimeo.com" not in html  # In a sentence, an address stays as written.
    assert "<p>https://example.com/not-a-video</p>" in html  # Not a video: as written.


def test_an_old_style_caption_attribute_is_the_caption(db, write_file):
    body = (
        '[caption id="attachment_9" align="alignleft" width="300" caption="Dawn &amp; dusk"]'
        f'<img src="{UPLOADS}/sky.jpg" alt="Sky" />[/caption]'
    )
    run("import_wordpress", write_file(wxr(wxr_item(1, body=body))))
    assert "<figcaption>Dawn &amp; dusk</figcaption>" in Post.objects.get().body_html


def test_wordpress_default_category_is_not_made_a_label(db, write_file):
    labels = [("category", "uncategorized", "Uncategorized"), ("post_tag", "dogs", "Dogs")]
    out = run("import_wordpress", write_file(wxr(wxr_item(1, categories=labels))))
    assert "category for posts given none: not a label here" in out
    assert "accounted for" in out and "MISMATCH" not in out
    assert list(Post.objects.get().tags.names()) == ["Dogs"]


def test_the_default_category_renamed_by_its_author_is_a_label(db, write_file):
    renamed = [("category", "uncategorized", "Odds and ends")]
    run("import_wordpress", write_file(wxr(wxr_item(1, categories=renamed))))
    assert list(Post.objects.get().tags.names()) == ["Odds and ends"]


def test_downloaded_images_keep_their_own_alt_texts(db, write_file, old_host):  # noqa: F811
    from blog.models import Image

    body = f'<p><img class="x" src="{old_host}/wp-content/uploads/in-body.png" alt="A gull" /></p>'
    path = write_file(
        wxr(
            wxr_item(1, body=body),
            attachment(30, f"{old_host}/wp-content/uploads/attached.png", alt="A red barn"),
        )
    )
    run("import_wordpress", path, "--download-images", "--image-host", "127.0.0.1")
    alts = dict(Image.objects.values_list("title", "alt_text"))
    assert alts == {"Post 1": "A gull", "File 30": "A red barn"}


def test_an_image_the_network_failed_to_bring_is_a_failure_to_run_again(db, write_file):
    from tests.ports import free_port

    closed = f"http://127.0.0.1:{free_port()}"  # Nothing listens: the connection is refused.
    path = write_file(wxr(wxr_item(1), attachment(30, f"{closed}/wp-content/uploads/a.png")))
    out = run("import_wordpress", path, "--download-images", "--image-host", "127.0.0.1")
    assert ledger_line(out, "attachments") == "1 in the file: 1 failed"
    assert "run the import again to fetch it" in out
    assert out.startswith("Import finished, but 1 entry failed")


def test_an_image_the_old_host_no_longer_has_is_skipped_not_failed(db, write_file, old_host):  # noqa: F811
    path = write_file(
        wxr(wxr_item(1), attachment(30, f"{old_host}/wp-content/uploads/missing.png"))
    )
    out = run("import_wordpress", path, "--download-images", "--image-host", "127.0.0.1")
    assert ledger_line(out, "attachments") == "1 in the file: 1 skipped"
    assert "HTTP 404" in out and out.startswith("Import finished.")
