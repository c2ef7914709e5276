"""Where the page cache is invalidated: one receiver, run after the commit that changed pages."""

import json
import logging
import urllib.request

from django.conf import settings

from . import pages

logger = logging.getLogger(__name__)

PURGE_TIMEOUT_SECONDS = 3


def pages_changed(sender, **kwargs):
    """A cache that cannot take the new generation raises: blog.publishing, which sends this,
    owes it the invalidation and tries again until it can (OwedInvalidations)."""
    try:
        pages.new_generation()
    finally:
        purge_cdn()


def purge_cdn():
    """Ask the CDN in front, if one is configured, to drop every page tagged with ours."""
    if not settings.QUIRE_CDN_PURGE_URL:
        return
    request = urllib.request.Request(
        settings.QUIRE_CDN_PURGE_URL,
        data=json.dumps({"tags": [settings.QUIRE_CDN_CACHE_TAG]}).encode(),
        headers={
            "Content-Type": "application/json",
            **(
                {"Authorization": f"Bearer {settings.QUIRE_CDN_PURGE_TOKEN}"}
                if settings.QUIRE_CDN_PURGE_TOKEN
                else {}
            ),
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=PURGE_TIMEOUT_SECONDS) as response:
            response.read()
    except OSError:
        # The CDN revalidates by itself when s-maxage runs out; a failed purge is not an outage.
        logger.exception("CDN purge at %s failed", settings.QUIRE_CDN_PURGE_URL)
