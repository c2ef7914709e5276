"""Where the page cache is invalidated: one receiver, run after the commit that changed pages."""

import json
import logging
import urllib.request

from django.conf import settings

from . import pages

logger = logging.getLogger(__name__)

PURGE_TIMEOUT_SECONDS = 3


def pages_changed(sender, **kwargs):
    try:
        pages.new_generation()
    except pages.UNAVAILABLE:
        # Sent by a reader's request too (a post fell due): a cache down must not fail it.
        logger.exception("Page cache unavailable; could not invalidate the stored pages")
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
