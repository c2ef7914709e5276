import importlib
import json
import runpy
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import clear_url_caches

from blog.models import Image
from tests.blog.conftest import image_upload
from tests.ports import free_port

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "config" / "settings.py"
BUCKET = "quire-media-test"

PUBLIC_READ = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/*",
        }
    ],
}

pytestmark = pytest.mark.django_db


@pytest.fixture
def urlconf_with():
    """config.urls built again under other settings, as a fresh process would build it."""
    import config.urls

    overridden = []

    def build(**overrides):
        overridden.append(override_settings(**overrides))
        overridden[-1].enable()
        importlib.reload(config.urls)
        clear_url_caches()

    yield build
    for override in reversed(overridden):
        override.disable()
    importlib.reload(config.urls)
    clear_url_caches()


def test_with_quire_serve_media_gunicorn_alone_serves_uploads(client, urlconf_with):
    urlconf_with(DEBUG=False, QUIRE_SERVE_MEDIA=True)
    image = Image.objects.create(title="Field", image=image_upload("field.png"), alt_text="A field")
    for url in (image.image.url, image.image_480.url):
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"".join(response.streaming_content)[:4] in (b"\x89PNG", b"\xff\xd8\xff\xe0")


def test_by_default_in_production_uploads_are_left_to_the_proxy(client, urlconf_with):
    urlconf_with(DEBUG=False, QUIRE_SERVE_MEDIA=False)
    image = Image.objects.create(title="Field", image=image_upload("field.png"), alt_text="A field")
    assert client.get(image.image.url).status_code == 404


def test_s3_settings_come_from_the_environment(monkeypatch):
    for name, value in {
        "DJANGO_DEBUG": "1",
        "QUIRE_S3_BUCKET": "blog-media",
        "QUIRE_S3_ENDPOINT_URL": "https://s3.eu-central-003.example.com",
        "QUIRE_S3_ACCESS_KEY_ID": "key-id",
        "QUIRE_S3_SECRET_ACCESS_KEY": "secret",
        "QUIRE_S3_REGION": "eu-central-003",
        "QUIRE_S3_CUSTOM_DOMAIN": "media.example.com",
    }.items():
        monkeypatch.setenv(name, value)
    storage = runpy.run_path(str(SETTINGS_FILE))["STORAGES"]["default"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert (options["bucket_name"], options["endpoint_url"], options["region_name"]) == (
        "blog-media",
        "https://s3.eu-central-003.example.com",
        "eu-central-003",
    )
    assert (options["access_key"], options["secret_key"]) == ("key-id", "secret")
    assert options["custom_domain"] == "media.example.com"
    assert options["querystring_auth"] is False, "cached pages cannot carry expiring signatures"


def test_without_a_bucket_uploads_stay_on_the_local_disk(monkeypatch):
    monkeypatch.setenv("DJANGO_DEBUG", "1")
    monkeypatch.delenv("QUIRE_S3_BUCKET", raising=False)
    storage = runpy.run_path(str(SETTINGS_FILE))["STORAGES"]["default"]
    assert storage["BACKEND"] == "django.core.files.storage.FileSystemStorage"


@pytest.fixture(scope="module")
def moto_endpoint():
    server_module = pytest.importorskip("moto.server", reason="moto[server] is in the dev extra")
    port = free_port()
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_media(moto_endpoint, monkeypatch):
    """Quire's own S3 settings (from the environment) pointed at a bucket on moto's server."""
    import boto3

    for name, value in {
        "DJANGO_DEBUG": "1",
        "QUIRE_S3_BUCKET": BUCKET,
        "QUIRE_S3_ENDPOINT_URL": moto_endpoint,
        "QUIRE_S3_ACCESS_KEY_ID": "testing",
        "QUIRE_S3_SECRET_ACCESS_KEY": "testing",
        "QUIRE_S3_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    storage = runpy.run_path(str(SETTINGS_FILE))["STORAGES"]["default"]
    bucket = boto3.resource(
        "s3",
        endpoint_url=moto_endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    ).Bucket(BUCKET)
    bucket.create()
    # What the README asks of a real bucket: anyone may read its objects, no one may list them.
    bucket.Policy().put(Policy=json.dumps(PUBLIC_READ))
    with override_settings(STORAGES={**settings.STORAGES, "default": storage}):
        yield bucket
    bucket.objects.all().delete()
    bucket.delete()


def test_an_upload_and_its_renditions_land_in_the_bucket_and_pages_link_there(
    s3_media, moto_endpoint, client, post_factory
):
    image = Image.objects.create(
        title="Harbour", image=image_upload("harbour.png", 2000, 1000), alt_text="Boats"
    )
    keys = {item.key for item in s3_media.objects.all()}
    assert image.image.name in keys
    renditions = {getattr(image, f"image_{width}{kind}").name
                  for width in (480, 960, 1600) for kind in ("", "_webp")}  # fmt: skip
    assert renditions <= keys, "renditions were made into the bucket when the image was saved"
    assert not (Path(settings.MEDIA_ROOT) / image.image.name).exists()

    post = post_factory(body=f"Look:\n\n{image.snippet()}\n")
    page = client.get(post.get_absolute_url()).content.decode()
    src = image.image_960.url
    assert src.startswith(f"{moto_endpoint}/{BUCKET}/renditions/")
    assert "X-Amz-Signature" not in src
    assert f'src="{src}"' in page
    with urllib.request.urlopen(src, timeout=5) as response:  # anyone can fetch what pages link
        assert response.read(4) == b"\x89PNG"  # a PNG's fallback stays PNG


def test_with_a_custom_domain_pages_link_to_it(s3_media, monkeypatch):
    storage = {**settings.STORAGES["default"]}
    storage["OPTIONS"] = {**storage["OPTIONS"], "custom_domain": "media.example.com"}
    with override_settings(STORAGES={**settings.STORAGES, "default": storage}):
        image = Image.objects.create(title="Dune", image=image_upload("dune.png"), alt_text="Sand")
        assert image.image_480.url.startswith("https://media.example.com/renditions/")
        assert image.image.name in {item.key for item in s3_media.objects.all()}


@pytest.mark.parametrize("name", ["A" * 5000, "../settings.py", "..", "x/../../etc/passwd"])
def test_a_name_no_upload_can_have_is_not_found(client, urlconf_with, name):
    urlconf_with(DEBUG=False, QUIRE_SERVE_MEDIA=True)
    assert client.get(f"{settings.MEDIA_URL}{name}").status_code == 404
