"""System checks (manage.py check, the release step): a page cache that could not invalidate."""

import os
from pathlib import Path

from django.conf import settings
from django.core.checks import Error


def check_generation_file(app_configs, **kwargs):
    """The generation file must be writable: pages stay stored while it cannot change."""
    if settings.QUIRE_PAGE_CACHE_GENERATION_IN != "file":
        return []
    path = Path(settings.QUIRE_PAGE_CACHE_GENERATION_FILE)
    writable = os.access(path, os.W_OK) if path.exists() else os.access(path.parent, os.W_OK)
    if writable:
        return []
    return [
        Error(
            f"The page cache's generation file {path} cannot be written, so no change would "
            "ever reach cached pages.",
            hint="Make its folder writable by the app's user, or unset "
            "QUIRE_PAGE_CACHE_GENERATION_FILE.",
            id="caching.E001",
        )
    ]
