"""System checks (manage.py check, the release step): a page cache that could not invalidate."""

import os
from pathlib import Path

from django.conf import settings
from django.core.checks import Error


def can_write(path):
    """The file can be replaced, or made: by a rename in its folder, so the folder counts too."""
    path = Path(path)
    folder_ok = path.parent.is_dir() and os.access(path.parent, os.W_OK)
    return folder_ok and (not path.exists() or os.access(path, os.W_OK))


def generation_file_problem():
    """Why the generation cannot change now, or None. /healthz asks too, on every probe."""
    if settings.QUIRE_PAGE_CACHE_GENERATION_IN != "file":
        return None
    path = settings.QUIRE_PAGE_CACHE_GENERATION_FILE
    if can_write(path):
        return None
    return f"The page cache's generation file {path} cannot be written"


def check_generation_file(app_configs, **kwargs):
    """The generation file must be writable: pages stay stored while it cannot change."""
    problem = generation_file_problem()
    if problem is None:
        return []
    return [
        Error(
            f"{problem}, so no change would ever reach cached pages.",
            hint="Make its folder writable by the app's user, or unset "
            "QUIRE_PAGE_CACHE_GENERATION_FILE.",
            id="caching.E001",
        )
    ]
