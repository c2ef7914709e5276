"""--download-images against an old host on loopback: images land in our storage, bodies follow."""

import http.server
import threading

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.test import RequestFactory
from django.views.static import serve

from blog.models import Image, Post

from ..blog.conftest import image_bytes
from .conftest import run, wxr, wxr_item

PNG = image_bytes(64, 48)


class OldHost(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the standard library's name)
        if self.path.endswith(".png") and "missing" not in self.path:
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(PNG)
        elif self.path.endswith(".jpg"):  # Not an image at all.
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"<html>nope</html>")
        else:
            self.send_error(404)

    def log_message(self, *args):
        pass


@pytest.fixture
def old_host():
    for port in range(8300, 8400):
        try:
            server = http.server.ThreadingHTTPServer(("127.0.0.1", port), OldHost)
            break
        except OSError:
            continue
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_images_are_fetched_stored_and_the_bodies_rewritten(db, write_file, old_host, client):
    body = (
        f'<a href="{old_host}/wp-content/uploads/big.png"><img src="{old_host}/a/small.png"></a>'
        f'<img src="{old_host}/a/small.png"> <img src="{old_host}/a/missing.png">'
        f'<img src="{old_host}/a/fake.jpg"> <img src="https://elsewhere.example/x.png">'
    )
    path = write_file(
        wxr(wxr_item(1, body=body), wxr_item(2, body=f'<img src="{old_host}/a/small.png">'))
    )
    out = run("import_wordpress", path, "--download-images", "--image-host", "127.0.0.1")
    assert Image.objects.count() == 2, out  # small.png once for both posts, and big.png
    for image in Image.objects.all():
        assert default_storage.exists(image.image.name)
        assert image.image_480.url  # renditions are there
        # Served from our media storage, as the static() media route does in development.
        request = RequestFactory().get(image.image.url)
        served = serve(request, image.image.name, document_root=settings.MEDIA_ROOT)
        assert served.status_code == 200 and b"".join(served.streaming_content)[:4] == PNG[:4]
    first = Post.objects.get(title="Post 1")
    stored = [image.image.url for image in Image.objects.all()]
    assert all(url in first.body for url in stored)
    assert f"{old_host}/a/small.png" not in first.body
    assert "missing.png in 'Post 1' not fetched (the old host answered HTTP 404)" in out
    assert "fake.jpg in 'Post 1' not fetched (This file is not an image Quire can read" in out
    assert f"{old_host}/a/missing.png" in first.body  # left where it was
    assert "https://elsewhere.example/x.png" in first.body  # not a host we fetch from
    assert f'src="{old_host}' not in Post.objects.get(title="Post 2").body
    again = run("import_wordpress", path, "--download-images", "--image-host", "127.0.0.1")
    assert Image.objects.count() == 2 and "2 unchanged" in again


def test_without_the_host_allowed_nothing_is_fetched(db, write_file, old_host):
    path = write_file(wxr(wxr_item(1, body=f'<img src="{old_host}/a/small.png">')))
    run("import_wordpress", path, "--download-images")
    assert not Image.objects.exists()
