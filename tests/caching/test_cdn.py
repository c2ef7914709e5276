"""The CDN purge hook: silent unless configured; then one POST per committed change."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import transaction

from tests.factories import PostFactory
from tests.ports import closed_port, free_port


class PurgeEndpoint(ThreadingHTTPServer):
    """A CDN's purge API on loopback: it records what it is sent."""

    def __init__(self, port):
        self.received = []
        super().__init__(("127.0.0.1", port), PurgeHandler)


class PurgeHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append((self.path, dict(self.headers), json.loads(body)))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'{"success": true}')

    def log_message(self, *args):
        pass


@pytest.fixture
def cdn():
    server = PurgeEndpoint(free_port())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def post(db):
    return PostFactory(title="A long walk", allow_comments=False)


def edit(post):
    post.title = "A longer walk"
    post.save()


def test_no_purge_url_means_no_request(wsgi, post, cdn, on_commit, settings):
    settings.QUIRE_CDN_PURGE_URL = ""
    with on_commit():
        edit(post)
    assert cdn.received == []
    assert "A longer walk" in wsgi.get("/").text


def test_a_committed_change_purges_our_tag(wsgi, post, cdn, on_commit, settings):
    settings.QUIRE_CDN_PURGE_URL = f"http://127.0.0.1:{cdn.server_port}/zones/abc/purge"
    settings.QUIRE_CDN_PURGE_TOKEN = "s3cret"
    settings.QUIRE_CDN_CACHE_TAG = "my-blog"
    with on_commit() as callbacks:
        edit(post)
        assert cdn.received == [], "purged before the commit"
    assert callbacks
    assert cdn.received
    path, headers, body = cdn.received[0]
    assert path == "/zones/abc/purge"
    assert headers["Authorization"] == "Bearer s3cret"
    assert headers["Content-Type"] == "application/json"
    assert body == {"tags": ["my-blog"]}
    assert wsgi.get("/").headers["Cache-Tag"] == "my-blog"


def test_no_token_sends_no_authorization(post, cdn, on_commit, settings, page_cache):
    settings.QUIRE_CDN_PURGE_URL = f"http://127.0.0.1:{cdn.server_port}/purge"
    settings.QUIRE_CDN_PURGE_TOKEN = ""
    with on_commit():
        edit(post)
    assert "Authorization" not in cdn.received[0][1]


def test_a_cdn_that_is_down_does_not_fail_the_write(wsgi, post, on_commit, settings, caplog):
    settings.QUIRE_CDN_PURGE_URL = f"http://127.0.0.1:{closed_port()}/purge"
    with on_commit():
        edit(post)
    assert "CDN purge" in caplog.text
    assert "A longer walk" in wsgi.get("/").text


def test_one_commit_purges_once_however_many_rows_it_wrote(post, cdn, on_commit, settings):
    """A post saved with its labels writes many rows: the CDN is asked once, not per row."""
    settings.QUIRE_CDN_PURGE_URL = f"http://127.0.0.1:{cdn.server_port}/purge"
    with on_commit():
        edit(post)
        post.tags.set(["rivers", "hills"])
        post.author.first_name = "Augusta"
        post.author.save()
    assert len(cdn.received) == 1


class Abandoned(Exception):
    pass


@pytest.mark.parametrize("inner_first", [True, False])
def test_a_rolled_back_savepoint_never_takes_the_commits_invalidation(
    wsgi, post, on_commit, inner_first
):
    wsgi.get("/")
    with on_commit():
        if not inner_first:
            edit(post)
        try:
            with transaction.atomic():
                post.tags.add("abandoned")
                raise Abandoned
        except Abandoned:
            pass
        if inner_first:
            edit(post)
    assert "A longer walk" in wsgi.get("/").text
    assert "abandoned" not in wsgi.get("/").text
