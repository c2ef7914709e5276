"""One import, from a file on disk to a ledger: check the whole file, then load it entry by entry.

The command line and the admin upload both call import_export(), so they show the same ledger.
"""

from contextlib import nullcontext

from django.db import transaction

from .ledger import Ledger
from .loader import Loader
from .readers import NAMES, READERS, ExportError, check, sniff


class DryRunRollback(Exception):
    """Raised inside the dry run's transaction so nothing it wrote is kept."""


def import_export(*, path, platform, author=None, dry_run=False, images=None, progress=None):
    """Import an export file; returns its Ledger. Raises ExportError with one sentence."""
    found = sniff(path)
    if found != platform:
        command = "import_blogger" if found == "blogger" else "import_wordpress"
        raise ExportError(f"This is {NAMES[found]}, not {NAMES[platform]}: use {command}.")
    blog, held, mends = check(path, platform)
    ledger = Ledger(held=held, mends=mends.sentences(), dry_run=dry_run)
    bar = progress(sum(held.values()) - held["label"]) if progress else nullcontext()
    loader = Loader(blog=blog, platform=platform, ledger=ledger, author=author, images=images)
    read = READERS[platform]
    try:
        with transaction.atomic() if dry_run else nullcontext(), bar as tick:
            loader.start()
            standalone_comments = platform == "blogger"
            for record in read(path, mends):
                loader.take(record, comments=not standalone_comments)
                if tick and not (standalone_comments and is_kind(record, "comment")):
                    tick.update(entries(record))
            if standalone_comments:  # Blogger's comments, once every post is in.
                for record in read(path, mends):
                    if is_kind(record, "comment"):
                        loader.take(record)
                        tick and tick.update(1)
            loader.finish()
            if dry_run:
                raise DryRunRollback
    except DryRunRollback:
        pass
    return ledger


def is_kind(record, kind):
    return getattr(record, "kind", None) == kind


def entries(record):
    """How far one record moves the progress bar: labels are not counted there."""
    if is_kind(record, "label") or not hasattr(record, "kind"):
        return 0
    return 1 + len(getattr(record, "comments", ()))
