import io
import runpy
import socket
import time
from pathlib import Path

import pytest
from django.db import OperationalError, connections
from django.test import override_settings

from config.health import HEALTH_PATH
from tests.ports import free_port

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "config" / "settings.py"

pytestmark = pytest.mark.django_db


def production_caches(monkeypatch, redis_url):
    """The CACHES config/settings.py makes for this REDIS_URL, timeouts and all."""
    monkeypatch.setenv("DJANGO_DEBUG", "1")
    monkeypatch.setenv("REDIS_URL", redis_url)
    return runpy.run_path(str(SETTINGS_FILE))["CACHES"]


def redis_is_running():
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


def test_a_healthy_site_answers_200_ok_and_is_never_cached(client):
    response = client.get(HEALTH_PATH)
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert {name: check["status"] for name, check in response.json()["checks"].items()} == {
        "database": "ok",
        "cache:default": "ok",
        "cache:pages": "ok",
        "cache:schedule": "ok",
    }
    assert response["Cache-Control"] == "no-store"
    assert "X-Cache" not in response


@override_settings(
    ALLOWED_HOSTS=["blog.example.com"], SECURE_SSL_REDIRECT=True, DEBUG=False, QUIRE_PAGE_CACHE=True
)
def test_a_load_balancer_probing_by_ip_over_plain_http_gets_the_answer(client):
    response = client.get(HEALTH_PATH, HTTP_HOST="10.0.3.7:8000")
    assert response.status_code == 200, "not 400 for the host, nor 301 to https"
    assert response.json()["status"] == "ok"
    # Every other page still refuses a host that is not ours.
    assert client.get("/", HTTP_HOST="10.0.3.7:8000").status_code == 400


def test_with_the_database_down_it_answers_503_and_names_the_database(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1 port 8499 failed")

    monkeypatch.setattr(connections["default"], "cursor", refuse)
    response = client.get(HEALTH_PATH)
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["database"] == {
        "status": "error",
        "error": "OperationalError",
        "ms": body["checks"]["database"]["ms"],
        "required": True,
    }
    assert body["checks"]["cache:default"]["status"] == "ok"
    assert response["Cache-Control"] == "no-store"


@pytest.mark.skipif(not redis_is_running(), reason="no Redis on 127.0.0.1:6379")
def test_with_redis_up_the_production_caches_are_healthy(client, monkeypatch):
    with override_settings(CACHES=production_caches(monkeypatch, "redis://127.0.0.1:6379/6")):
        response = client.get(HEALTH_PATH)
    assert response.status_code == 200, response.json()


def test_with_redis_down_it_answers_quickly_degraded_not_down_and_names_the_caches(
    client, monkeypatch
):
    """Pages render from the database meanwhile; every server shares that Redis, so taking
    this one out of rotation would take them all."""
    port = free_port()  # nothing listens there
    with override_settings(CACHES=production_caches(monkeypatch, f"redis://127.0.0.1:{port}/6")):
        started = time.monotonic()
        response = client.get(HEALTH_PATH)
        elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    checks = response.json()["checks"]
    assert checks["database"]["status"] == "ok"
    assert checks["cache:default"]["status"] == checks["cache:pages"]["status"] == "error"
    assert checks["cache:default"]["error"] == "ConnectionError"
    assert not checks["cache:default"]["required"] and checks["database"]["required"]
    assert elapsed < 5, "a load balancer's probe must not wait for TCP timeouts"


def test_the_page_cache_never_answers_for_it(monkeypatch):
    """A stored "ok" would go on answering while the database is down."""
    from caching import pages
    from config.wsgi import application

    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": HEALTH_PATH,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
    }
    pages.store(
        environ,
        HEALTH_PATH,
        [("Content-Type", "application/json")],
        200,
        b'{"status": "ok"}',
        generation=pages.current_generation(),
        valid_until=time.time() + 60,
    )
    assert pages.lookup(environ) is not None, "a page is stored at /healthz"
    monkeypatch.setattr(
        connections["default"], "cursor", lambda: (_ for _ in ()).throw(OperationalError())
    )

    answer = []
    body = b"".join(application(environ, lambda status, headers, *_: answer.append(status)))
    assert answer == ["503 Service Unavailable"]
    assert b'"database": {"status": "error"' in body


def test_a_schedule_or_generation_that_cannot_be_written_fails_the_probe(
    client, settings, tmp_path
):
    """Either would leave pages stale (a post appearing late, a change not reaching cached
    pages): the load balancer and the operator hear of it, as of a cache that is down."""
    blocker = tmp_path / "a-file"  # Nothing can be made under a file, whoever asks.
    blocker.write_text("")
    files = "caching.backends.FileBasedCache"
    settings.CACHES = {
        **settings.CACHES,
        "schedule": {"BACKEND": files, "LOCATION": str(blocker / "schedule")},
    }
    settings.QUIRE_PAGE_CACHE_GENERATION_IN = "file"
    settings.QUIRE_PAGE_CACHE_GENERATION_FILE = str(blocker / "page-generation")

    response = client.get(HEALTH_PATH)

    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["cache:schedule"]["status"] == "error"
    assert checks["page-generation"]["status"] == "error"
    assert checks["database"]["status"] == checks["cache:default"]["status"] == "ok"

    settings.CACHES = {
        **settings.CACHES,
        "schedule": {"BACKEND": files, "LOCATION": str(tmp_path / "new" / "schedule")},
    }
    settings.QUIRE_PAGE_CACHE_GENERATION_FILE = str(tmp_path / "page-generation")
    assert client.get(HEALTH_PATH).status_code == 200
