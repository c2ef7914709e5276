"""One import, from a file on disk to a ledger: check the whole file, then load it entry by entry.

The command line and the admin upload both call import_export(), so they show the same ledger.
"""

import fcntl
import hashlib
import logging
import os
import pickle
import tempfile
from contextlib import contextmanager, nullcontext
from pathlib import Path

from django.db import DatabaseError, connection, transaction

from .ledger import Ledger
from .loader import Loader, written_order
from .readers import NAMES, READERS, ExportError, check, sniff

logger = logging.getLogger(__name__)


class DryRunRollback(Exception):
    """Raised inside the dry run's transaction so nothing it wrote is kept."""


# Any number of its own: pg_try_advisory_lock's key for "an import is running".
IMPORT_LOCK_KEY = 7_411_305
BUSY = "Another import is running on this site: wait for it to finish, then run this one."


@contextmanager
def one_import_at_a_time():
    """Two imports at once would each match the same entries to nothing yet and make them twice
    (and on SQLite the second fails midway on the database's lock). The lock goes with the
    process that holds it, however it ends: a crashed import never leaves the site locked."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [IMPORT_LOCK_KEY])
            if not cursor.fetchone()[0]:
                raise ExportError(BUSY)
        try:
            yield
        finally:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [IMPORT_LOCK_KEY])
            except DatabaseError:  # A lost connection took the lock with it.
                logger.warning("Could not release the import lock", exc_info=True)
        return
    with open(_lock_file(), "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ExportError(BUSY) from None
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _lock_file():
    """Beside the SQLite file, which every process using it can write; for a database in
    memory (tests), which no other process can open, a file of this process's own."""
    name = str(connection.settings_dict["NAME"])
    if Path(name).parent.is_dir() and not name.startswith(("file:", ":memory:")):
        return f"{name}.import-lock"
    digest = hashlib.sha256(f"{os.getpid()}:{name}".encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"quire-import-{digest}.lock"


@one_import_at_a_time()
def import_export(
    *, path, platform, author=None, dry_run=False, images=None, progress=None, replace_edited=False
):
    """Import an export file; returns its Ledger. Raises ExportError with one sentence.

    An entry imported before and edited here since keeps the author's version, unless
    `replace_edited`: the old blog's changes to it are reported, not taken.
    """
    found = sniff(path)
    if found != platform:
        command = "import_blogger" if found == "blogger" else "import_wordpress"
        raise ExportError(f"This is {NAMES[found]}, not {NAMES[platform]}: use {command}.")
    blog, held, mends, attachments = check(path, platform)
    ledger = Ledger(held=held, mends=mends.sentences(), dry_run=dry_run)
    bar = progress(sum(held.values()) - held["label"]) if progress else nullcontext()
    loader = Loader(
        blog=blog,
        platform=platform,
        ledger=ledger,
        author=author,
        images=images,
        replace_edited=replace_edited,
    )
    read = READERS[platform]
    try:
        with transaction.atomic() if dry_run else nullcontext(), bar as tick:
            loader.start()
            # Blogger's comments stand apart from their posts: they go in once every post is
            # in, in the order they were written (Blogger lists the newest first).
            with CommentSpool() as spool:
                for record in read(path, mends, attachments):
                    if platform == "blogger" and is_kind(record, "comment"):
                        spool.add(record)
                        continue
                    loader.take(record)
                    tick and tick.update(entries(record))
                for record in spool.in_written_order():
                    loader.take(record)
                    tick and tick.update(1)
            loader.finish()
            if dry_run:
                raise DryRunRollback
    except DryRunRollback:
        pass
    return ledger


class CommentSpool:
    """Comments kept on disk until they can be written: only their order stays in memory, so a
    blog of a million comments costs a sort of a million small keys, not their texts."""

    def __init__(self):
        self.file = tempfile.TemporaryFile()
        self.keys = []  # (when written, position in the file, offset in the spool)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.file.close()

    def add(self, record):
        self.keys.append((written_order(record), len(self.keys), self.file.tell()))
        pickle.dump(record, self.file, protocol=pickle.HIGHEST_PROTOCOL)

    def in_written_order(self):
        for *_, offset in sorted(self.keys):
            self.file.seek(offset)
            yield pickle.load(self.file)  # Only what add() wrote, in this run.


def is_kind(record, kind):
    return getattr(record, "kind", None) == kind


def entries(record):
    """How far one record moves the progress bar: labels are not counted there."""
    if is_kind(record, "label") or not hasattr(record, "kind"):
        return 0
    return 1 + len(getattr(record, "comments", ()))
