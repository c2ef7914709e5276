"""Two app server processes share one page cache: a change made by one shows through the other.

Real processes (gunicorn), a real SQLite file, production settings (DEBUG off); the write is
made by a third process, as an editor's shell or an import would, and committed.
"""

import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from tests.ports import closed_port, listening_socket

REDIS_URL = "redis://127.0.0.1:6379/5"
HOST = "blog.test"
BASE_DIR = Path(settings.BASE_DIR)
pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")


def redis_is_reachable():
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class Site:
    """The environment of one deployment; runs its management commands and its servers."""

    def __init__(self, root, *, redis_url, static_root, page_cache_dir=None):
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "QUIRE_"))
        }
        self.env.update(
            DJANGO_SETTINGS_MODULE="config.settings",
            DJANGO_SECRET_KEY="a-long-random-secret-key-for-two-test-servers-only-0123456789",
            DJANGO_ALLOWED_HOSTS=HOST,
            DJANGO_SECURE_SSL_REDIRECT="0",
            DJANGO_STATIC_ROOT=str(static_root),
            DATABASE_URL=f"sqlite:///{root / 'db.sqlite3'}",
            QUIRE_PAGE_CACHE_DIR=str(page_cache_dir or root / "page-cache"),
            DJANGO_LOG_LEVEL="WARNING",
        )
        if redis_url:
            self.env["REDIS_URL"] = redis_url
        self.servers = []

    def manage(self, *args):
        subprocess.run(
            [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=self.env, check=True,
            capture_output=True, timeout=120,
        )  # fmt: skip

    def shell(self, code):
        """Run ORM code in a process of its own, committed when it ends."""
        self.manage("shell", "-c", code)

    def start(self, **env):
        listener = listening_socket()
        port = listener.getsockname()[1]
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind",
             f"fd://{listener.fileno()}", "--workers", "1", "--log-level", "warning"],
            cwd=BASE_DIR, env={**self.env, **env}, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, pass_fds=(listener.fileno(),),
        )  # fmt: skip
        listener.close()  # The server has its own copy: nothing else can answer on this port.
        self.servers.append(server)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if server.poll() is not None:
                pytest.fail(f"server on {port} died: {server.stderr.read().decode()}")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).close()
                return Server(port)
            except urllib.error.HTTPError:
                return Server(port)  # Answering, if not yet healthy (503): up all the same.
            except OSError:
                time.sleep(0.1)
        pytest.fail(f"server on {port} did not start")

    def stop(self):
        for server in self.servers:
            server.terminate()
        for server in self.servers:
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            server.stderr.close()


class Server:
    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def send(self, method, path, form=None):
        """One request as a browser would send it, keeping cookies (they are Secure: by hand)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        headers = {"Host": HOST}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        text = response.read().decode()
        connection.close()
        return response.status, text

    def csrf_token(self, path):
        status, text = self.send("GET", path)
        assert status == 200, (path, text[:500])
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)[1]

    def log_in(self, username, password):
        token = self.csrf_token("/admin/login/")
        form = {"csrfmiddlewaretoken": token, "username": username, "password": password}
        status, text = self.send("POST", "/admin/login/?next=/admin/", {**form, "next": "/admin/"})
        assert status == 302, text[:500]

    def get(self, path):
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}")
        request.add_header("Host", HOST)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()


SETUP = """
import datetime as dt
from django.utils import timezone
from blog.models import Post
from django.contrib.auth import get_user_model
author = get_user_model().objects.create_superuser("author", "a@example.com", "walk-far-2024")
Post.objects.create(title="A long walk", slug="a-long-walk", body="Far.", author=author,
    status="published", published_at=timezone.now() - dt.timedelta(hours=1),
    allow_comments=False)
"""


@pytest.fixture(scope="module")
def deployed(tmp_path_factory):
    """Static files collected and a database migrated once; each test copies the database."""
    root = tmp_path_factory.mktemp("deployed")
    site = Site(root, redis_url="", static_root=root / "static")
    site.manage("collectstatic", "--noinput")
    site.manage("migrate", "--noinput")
    site.shell(SETUP)
    return root


def new_site(deployed, root, *, redis_url):
    shutil.copy(deployed / "db.sqlite3", root / "db.sqlite3")
    return Site(root, redis_url=redis_url, static_root=deployed / "static")


@pytest.fixture(params=["redis", "files"])
def site(request, deployed, tmp_path):
    if request.param == "redis":
        if not redis_is_reachable():
            pytest.skip("Redis is not reachable at 127.0.0.1:6379 (CI runs it)")
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()
    site = new_site(deployed, tmp_path, redis_url=REDIS_URL if request.param == "redis" else "")
    yield site
    site.stop()
    if request.param == "redis":
        redis.Redis.from_url(REDIS_URL).flushdb()


def test_a_change_made_elsewhere_shows_through_both_servers(site):
    one, two = site.start(), site.start()
    status, headers, body = one.get("/")
    assert status == 200 and "A long walk" in body
    # The other process answers from what the first one stored.
    status, headers, body = two.get("/")
    assert headers.get("X-Cache") == "hit"

    site.shell("from blog.models import Post\n"
               "post = Post.objects.get(slug='a-long-walk')\n"
               "post.title = 'A longer walk'\npost.save()")  # fmt: skip

    status, headers, body = two.get("/")
    assert "A longer walk" in body
    assert headers.get("X-Cache") == "miss"
    status, headers, body = one.get("/")
    assert "A longer walk" in body
    assert headers.get("X-Cache") == "hit"  # What the second server stored after the change.


def test_a_server_whose_redis_is_down_still_serves(deployed, tmp_path):
    site = new_site(deployed, tmp_path, redis_url=f"redis://127.0.0.1:{closed_port()}/5")
    try:
        server = site.start()
        for _ in range(2):
            status, headers, body = server.get("/")
            assert status == 200 and "A long walk" in body
            assert headers.get("X-Cache") is None
    finally:
        site.stop()


def test_without_redis_two_machines_each_with_its_own_files_see_a_change(deployed, tmp_path):
    """No Redis, two hosts: each keeps pages in its own files, the database is the one shared."""
    site = new_site(deployed, tmp_path, redis_url="")
    try:
        one = site.start(QUIRE_PAGE_CACHE_DIR=str(tmp_path / "host-one"))
        two = site.start(QUIRE_PAGE_CACHE_DIR=str(tmp_path / "host-two"))
        for server in (one, two):
            server.get("/")
            assert server.get("/")[1].get("X-Cache") == "hit"

        site.shell("from blog.models import Post\n"
                   "post = Post.objects.get(slug='a-long-walk')\n"
                   "post.title = 'A longer walk'\npost.save()")  # fmt: skip

        for server in (one, two):
            assert "A longer walk" in server.get("/")[2], server.port
    finally:
        site.stop()


def test_unpublishing_in_one_servers_admin_shows_through_the_other(site):
    """The editor's write goes through the admin of one server; a reader uses the other."""
    editor_side, reader_side = site.start(), site.start()
    reader_side.get("/")
    assert reader_side.get("/")[1].get("X-Cache") == "hit"
    assert "A long walk" in editor_side.get("/")[2]

    editor_side.log_in("author", "walk-far-2024")
    token = editor_side.csrf_token("/admin/blog/post/")
    status, text = editor_side.send("POST", "/admin/blog/post/", {
        "csrfmiddlewaretoken": token, "action": "unpublish", "index": "0",
        "_selected_action": "1",
    })  # fmt: skip
    assert status == 302, text[:500]

    for server in (reader_side, editor_side):
        status, headers, body = server.get("/")
        assert "A long walk" not in body, server.port
