"""The commands the containers run (deploy/entrypoint.sh, deploy/healthcheck.py), run here."""

import http.server
import json
import os
import secrets
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
ENTRYPOINT = ROOT / "deploy" / "entrypoint.sh"
HEALTHCHECK = ROOT / "deploy" / "healthcheck.py"


def production_environment(tmp_path, **extra):
    """What compose gives the app, with SQLite in a tmp dir standing in for PostgreSQL."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "QUIRE_", "DATABASE_", "REDIS_", "GUNICORN_"))
    }
    environment.update(
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="blog.example.com",
        DJANGO_BEHIND_PROXY="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_STATIC_ROOT=str(tmp_path / "staticfiles"),
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
        QUIRE_PAGE_CACHE_DIR=str(tmp_path / "page-cache"),
        QUIRE_DOMAIN="blog.example.com",
        **extra,
    )
    return environment


def run(*command, env, timeout=180):
    return subprocess.run(
        [str(ENTRYPOINT), *command], env=env, capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    """The image's build step (collectstatic), then the release step (migrate) on a fresh db."""
    tmp_path = tmp_path_factory.mktemp("release")
    env = production_environment(tmp_path, QUIRE_PUBLISH_STATIC=str(tmp_path / "proxy-static"))
    (tmp_path / "proxy-static").mkdir()
    built = run("collectstatic", env=env)
    assert built.returncode == 0, built.stderr
    migrated = run("migrate", env=env)
    return tmp_path, env, migrated


def test_the_release_step_migrates_checks_and_publishes_static_files(released):
    tmp_path, env, migrated = released
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    with sqlite3.connect(tmp_path / "db.sqlite3") as db:
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
        domain = db.execute("SELECT domain FROM django_site").fetchone()[0]
    assert {"blog_post", "django_comments", "quire_cache"} <= tables
    assert domain == "blog.example.com"
    assert "System check identified no issues" in migrated.stdout
    manifest = json.loads((tmp_path / "proxy-static" / "staticfiles.json").read_text())
    hashed_css = next(name for name in manifest["paths"].values() if name.endswith(".css"))
    assert (tmp_path / "proxy-static" / hashed_css).exists()
    assert (tmp_path / "proxy-static" / f"{hashed_css}.gz").exists(), "for nginx's gzip_static"


def test_the_release_step_stops_on_a_deploy_warning_before_it_changes_anything(tmp_path):
    """.env.example's placeholder key, left as it is: the site must not go live on it."""
    env = production_environment(tmp_path)
    env["DJANGO_SECRET_KEY"] = "change-me-to-a-long-random-string"
    released = run("migrate", env=env)
    assert released.returncode != 0
    assert "security.W009" in released.stderr + released.stdout
    assert (
        not (tmp_path / "db.sqlite3").exists()
        or not sqlite3.connect(tmp_path / "db.sqlite3")
        .execute("SELECT name FROM sqlite_master WHERE name = 'blog_post'")
        .fetchone()
    )


MAKE_AN_IMAGE_OF_AN_OLD_RELEASE = """
import io
from pathlib import Path
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as Picture
from blog.images import MODERN_FORMATS, rendition_field_name
from blog.models import Image
buffer = io.BytesIO()
Picture.new("RGB", (600, 300), "teal").save(buffer, "PNG")
upload = SimpleUploadedFile("old.png", buffer.getvalue())
image = Image.objects.create(title="Old", alt_text="Old", image=upload)
for output_format in (None, *MODERN_FORMATS):
    rendition = getattr(image, rendition_field_name("image", 480, output_format))
    Path(rendition.path).unlink()
    print("rendition:", rendition.path)
# As if never made: imagekit remembers the files it made, not the names it never saw.
from django.core.cache import caches
for cache in caches.all():
    cache.clear()
"""


def test_the_release_step_makes_renditions_that_older_images_lack(released):
    _, env, _ = released
    made = run("python", "manage.py", "shell", "-c", MAKE_AN_IMAGE_OF_AN_OLD_RELEASE, env=env)
    assert made.returncode == 0, made.stderr
    missing = [
        Path(line.split(" ", 1)[1])
        for line in made.stdout.splitlines()
        if line.startswith("rendition: ")
    ]
    assert missing and not any(path.exists() for path in missing)
    released_again = run("migrate", env=env)
    assert released_again.returncode == 0, released_again.stderr
    assert all(path.exists() for path in missing)


def test_other_commands_run_as_given_so_an_admin_can_be_made(released):
    tmp_path, env, _ = released
    made = run("python", "manage.py", "ensure_admin", env=env)
    assert made.returncode == 0, made.stderr
    assert "with password:" in made.stdout


def test_without_a_secret_key_the_release_step_stops_with_the_reason(tmp_path):
    env = production_environment(tmp_path)
    del env["DJANGO_SECRET_KEY"]
    failed = run("migrate", env=env)
    assert failed.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in failed.stderr


class Answer(http.server.BaseHTTPRequestHandler):
    status = 200

    def do_GET(self):
        self.send_response(self.server.status if self.path == "/healthz" else 404)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_app():
    server = http.server.HTTPServer(("127.0.0.1", free_port()), Answer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def healthcheck(**env):
    return subprocess.run(
        [sys.executable, str(HEALTHCHECK)],
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        timeout=10,
    ).returncode


def test_the_image_healthcheck_follows_healthz(fake_app):
    port = fake_app.server_port
    fake_app.status = 200
    assert healthcheck(GUNICORN_BIND=f"0.0.0.0:{port}") == 0
    assert healthcheck(PORT=str(port)) == 0
    fake_app.status = 503
    assert healthcheck(GUNICORN_BIND=f"0.0.0.0:{port}") == 1


def test_the_image_healthcheck_fails_when_nothing_listens():
    assert healthcheck(GUNICORN_BIND=f"127.0.0.1:{free_port()}") == 1


@pytest.mark.skipif(
    not (ROOT / "config" / "gunicorn.py").exists(),
    reason="config/gunicorn.py comes with `make serve` (branch bench)",
)
def test_the_container_command_serves_the_site_and_its_health(released):
    tmp_path, env, _ = released
    bind = f"127.0.0.1:{free_port()}"
    env = {**env, "GUNICORN_BIND": bind, "WEB_CONCURRENCY": "1"}
    server = subprocess.Popen(
        [str(ENTRYPOINT), "serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 30
        while healthcheck(GUNICORN_BIND=bind) != 0:
            assert server.poll() is None, server.stdout.read().decode()
            assert time.monotonic() < deadline, "gunicorn did not become healthy in 30 s"
            time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(timeout=30)
