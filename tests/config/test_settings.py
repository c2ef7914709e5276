import os
import runpy
import socket
from pathlib import Path

import pytest
from django.core.cache.backends.db import DatabaseCache
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import override_settings

from caching.backends import RedisCache

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "config" / "settings.py"
ENVIRONMENT = (
    "DJANGO_DEBUG",
    "DJANGO_SECRET_KEY",
    "REDIS_URL",
    "DATABASE_URL",
    "QUIRE_PAGE_CACHE_GENERATION_FILE",
)


def load_settings(monkeypatch, **environment):
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


def test_without_a_secret_key_production_refuses_to_start_and_says_how_to_fix_it(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY is not set"):
        load_settings(monkeypatch)


def test_with_no_environment_quire_runs_on_sqlite_in_the_checkout(monkeypatch):
    settings = load_settings(monkeypatch, DJANGO_DEBUG="1")
    database = settings["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(database["NAME"]) == SETTINGS_FILE.parents[1] / "db.sqlite3"


def test_database_url_switches_to_postgresql(monkeypatch):
    settings = load_settings(
        monkeypatch, DJANGO_DEBUG="1", DATABASE_URL="postgres://quire@db.internal:5432/quire"
    )
    database = settings["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["NAME"]) == ("db.internal", "quire")


@pytest.mark.django_db(transaction=True)
def test_without_redis_every_worker_shares_one_cache_in_the_database(monkeypatch):
    # Two backend instances stand for two gunicorn workers: the count must be one count.
    caches = load_settings(monkeypatch, DJANGO_DEBUG="1")["CACHES"]
    config = caches["default"]
    assert config["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    with override_settings(CACHES=caches):
        call_command("createcachetable", verbosity=0)
        worker_a = DatabaseCache(config["LOCATION"], config)
        worker_b = DatabaseCache(config["LOCATION"], config)
        worker_a.set("comments:form-used:first", True)
        worker_a.set("comments:rate:203.0.113.9", 1)
        worker_b.incr("comments:rate:203.0.113.9")
        assert worker_a.get("comments:rate:203.0.113.9") == 2
        # A busy hour of other visitors must not cull the keys that stop a replay.
        worker_b.set_many({f"comments:rate:198.51.100.{n}": 1 for n in range(400)})
        worker_b.set("comments:rate:last", 1)
        assert worker_a.get("comments:form-used:first") is True


def redis_is_running(host="127.0.0.1", port=6379):
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def test_with_redis_every_server_shares_one_cache_in_redis(monkeypatch):
    caches = load_settings(monkeypatch, DJANGO_DEBUG="1", REDIS_URL="redis://127.0.0.1:6379/15")[
        "CACHES"
    ]
    config = caches["default"]
    assert config["BACKEND"] == "caching.backends.RedisCache"  # Django's, one client a process
    assert caches["pages"]["BACKEND"] == config["BACKEND"]
    if not redis_is_running():
        pytest.skip("no Redis on 127.0.0.1:6379: start redis-server to check the shared count")
    server_a = RedisCache(config["LOCATION"], {"KEY_PREFIX": "quire-test"})
    server_b = RedisCache(config["LOCATION"], {"KEY_PREFIX": "quire-test"})
    server_a.set("comments:rate:203.0.113.9", 1)
    try:
        server_b.incr("comments:rate:203.0.113.9")
        assert server_a.get("comments:rate:203.0.113.9") == 2
    finally:
        server_a.delete("comments:rate:203.0.113.9")


@pytest.mark.parametrize(
    "environment, kept_in",
    [
        ({}, "file"),  # SQLite: beside the database.
        ({"DATABASE_URL": "postgres://quire@db.internal:5432/quire"}, "default"),
        ({"REDIS_URL": "redis://cache.internal:6379/0"}, "pages"),
        (
            {
                "DATABASE_URL": "postgres://quire@db.internal:5432/quire",
                "REDIS_URL": "redis://cache.internal:6379/0",
                "QUIRE_PAGE_CACHE_GENERATION_FILE": "/var/lib/quire/page-generation",
            },
            "file",  # One host, by the operator's word: no round trip a hit.
        ),
    ],
)
def test_the_page_cache_generation_lives_where_every_server_sees_it(
    monkeypatch, environment, kept_in
):
    settings = load_settings(monkeypatch, DJANGO_DEBUG="1", **environment)
    assert settings["QUIRE_PAGE_CACHE_GENERATION_IN"] == kept_in
    if "QUIRE_PAGE_CACHE_GENERATION_FILE" in environment:
        assert settings["QUIRE_PAGE_CACHE_GENERATION_FILE"] == "/var/lib/quire/page-generation"


@pytest.mark.parametrize(
    "environment, backend",
    [
        ({}, "caching.backends.FileBasedCache"),
        ({"DATABASE_URL": "postgres://quire@db.internal:5432/quire"}, "default"),
        ({"REDIS_URL": "redis://cache.internal:6379/0"}, "default"),
    ],
)
def test_the_publication_schedule_is_read_without_a_query_where_it_can_be(
    monkeypatch, environment, backend
):
    """Every request reads it: on SQLite alone, from files beside the database (one host
    by definition); else from the default cache, which every app server shares."""
    caches = load_settings(monkeypatch, DJANGO_DEBUG="1", **environment)["CACHES"]
    if backend == "default":
        assert caches["schedule"] == caches["default"]
    else:
        assert caches["schedule"]["BACKEND"] == backend
        assert caches["schedule"]["LOCATION"] == str(
            SETTINGS_FILE.parents[1] / "db.sqlite3.schedule"
        )


def test_under_gunicorn_a_statement_that_hangs_is_stopped_before_the_worker_is_killed(
    monkeypatch,
):
    monkeypatch.setattr(os, "environ", dict(os.environ))  # gunicorn.py sets a default in it.
    monkeypatch.delenv("DATABASE_STATEMENT_TIMEOUT_MS", raising=False)
    url = "postgres://quire@db.internal:5432/quire"
    command = load_settings(monkeypatch, DJANGO_DEBUG="1", DATABASE_URL=url)
    assert "options" not in command["DATABASES"]["default"]["OPTIONS"], "imports run for long"

    gunicorn = runpy.run_path(str(SETTINGS_FILE.parent / "gunicorn.py"))
    served = load_settings(monkeypatch, DJANGO_DEBUG="1", DATABASE_URL=url)
    options = served["DATABASES"]["default"]["OPTIONS"]
    limit_ms = (gunicorn["timeout"] - 5) * 1000
    assert options["options"] == f"-c statement_timeout={limit_ms}"
    assert options["keepalives"] == 1 and options["tcp_user_timeout"] <= limit_ms


@pytest.mark.django_db
def test_postgresql_stops_a_statement_at_the_limit_given(monkeypatch):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    import psycopg

    params = {**connection.get_connection_params(), "options": "-c statement_timeout=200"}
    with psycopg.connect(**params) as database, pytest.raises(psycopg.errors.QueryCanceled):
        database.execute("SELECT pg_sleep(3)")
