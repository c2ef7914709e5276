"""Several processes writing one SQLite file, as gunicorn's workers and an import do."""

import os
import sqlite3
import subprocess
import sys

from django.conf import settings

WRITER = """
import django
django.setup()
from django.db import connection, transaction
for i in range({rounds}):
    with transaction.atomic():  # Read, then write: the shape of a comment post or an import.
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM t")
            cursor.fetchone()
            cursor.execute("INSERT INTO t VALUES (%s)", [i])
"""


def test_three_processes_writing_at_once_all_get_their_turn(tmp_path):
    """With SQLite's deferred transactions one of them was refused at once, 'database is
    locked', as soon as two read and then wrote together."""
    database = tmp_path / "shared.sqlite3"
    with sqlite3.connect(database) as made:
        made.execute("CREATE TABLE t (x)")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{database}",
        "PYTHONPATH": str(settings.BASE_DIR),
    }
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER.format(rounds=400)],
            env=env,
            cwd=settings.BASE_DIR,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    errors = [writer.communicate(timeout=120)[1] for writer in writers]
    assert [writer.returncode for writer in writers] == [0, 0, 0], errors
    with sqlite3.connect(database) as done:
        assert done.execute("SELECT count(*) FROM t").fetchone()[0] == 1200
