"""Two imports at once would each make the same entries: the second is refused, in a sentence."""

import contextlib
import fcntl

import pytest
from django.core.management.base import CommandError
from django.db import connection

from blog.models import Post
from interchange import importer

from .conftest import run, takeout, takeout_entry


@contextlib.contextmanager
def another_import_running():
    """The lock as another process holds it: a connection of its own, or a file of its own."""
    if connection.vendor == "postgresql":
        import psycopg

        params = connection.get_connection_params()
        params.pop("cursor_factory", None)
        params.pop("context", None)
        with psycopg.connect(**params, autocommit=True) as other:
            other.execute("SELECT pg_advisory_lock(%s)", [importer.IMPORT_LOCK_KEY])
            yield
        return
    with open(importer._lock_file(), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def test_an_import_while_another_runs_is_refused_and_writes_nothing(db, write_file):
    path = write_file(takeout(takeout_entry(1)))
    with another_import_running(), pytest.raises(CommandError, match="Another import is running"):
        run("import_blogger", path)
    assert not Post.objects.exists()
    run("import_blogger", path)  # Once it is over, the same import goes in.
    assert Post.objects.count() == 1


def test_an_import_that_failed_leaves_the_site_free_to_import(db, write_file):
    with pytest.raises(CommandError):
        run("import_blogger", write_file("<feed>not closed"))
    run("import_blogger", write_file(takeout(takeout_entry(1))))
    assert Post.objects.count() == 1


def test_the_admin_upload_says_so_too(client, author, write_file):
    client.force_login(author)
    with another_import_running(), write_file(takeout(takeout_entry(1))).open("rb") as export:
        response = client.post("/admin/interchange/importeditem/import/", {"export": export})
    assert "Another import is running on this site" in response.content.decode()
    assert not Post.objects.exists()
