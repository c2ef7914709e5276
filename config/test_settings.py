"""Settings for the test suite: the real settings, made fast and hermetic."""

import os
import tempfile

os.environ.setdefault("DJANGO_DEBUG", "1")

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
}
CACHES["schedule"] = CACHES["default"]  # The same store: a test that wants files names its own.
CACHES["renditions"] = CACHES["default"]
# The generation beside the pages, in memory: a test that wants the file names one of its own.
QUIRE_PAGE_CACHE_GENERATION_IN = "default"
QUIRE_PAGE_CACHE_GENERATION_FILE = ""
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="quire-test-media-"))  # noqa: F405
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="quire-test-static-"))  # noqa: F405
