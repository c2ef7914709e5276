"""System checks (manage.py check, the release step): a publication schedule that cannot move."""

import os
from pathlib import Path

from django.conf import settings
from django.core.checks import Error


def check_schedule_files(app_configs, **kwargs):
    """On SQLite the schedule is kept in files beside the database (config/settings.py): while
    they cannot be written, a post scheduled or moved keeps the old due time, and appears late."""
    config = settings.CACHES.get("schedule", {})
    if not config.get("BACKEND", "").endswith("FileBasedCache"):
        return []
    folder = Path(config["LOCATION"])
    # The backend makes the folder, and any above it, on its first write.
    nearest = next(path for path in (folder, *folder.parents) if path.exists())
    if nearest.is_dir() and os.access(nearest, os.W_OK):
        return []
    return [
        Error(
            f"The publication schedule's folder {folder} cannot be written, so scheduled "
            "posts would appear late.",
            hint="Make it, or the folder holding the database, writable by the app's user.",
            id="blog.E001",
        )
    ]
