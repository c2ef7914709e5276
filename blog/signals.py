from django.conf import settings
from django.core.management import call_command


def sync_site_from_settings(**kwargs):
    """Keep django.contrib.sites in step with QUIRE_DOMAIN, so feeds and sitemaps link home."""
    from django.contrib.sites.models import Site

    Site.objects.update_or_create(
        pk=settings.SITE_ID,
        defaults={"domain": settings.QUIRE_DOMAIN, "name": settings.QUIRE_SITE_NAME},
    )


def create_cache_table(using="default", **kwargs):
    """The database cache's table, made by `migrate` so no deploy can forget it."""
    call_command("createcachetable", database=using, verbosity=0)


def forget_cached_reads(**kwargs):
    """A release runs migrate once: what the previous code computed and kept is made again."""
    from .publishing import forget_cached_reads

    forget_cached_reads()


def post_written(sender, **kwargs):
    """Any saved or deleted post may move the next due time, or be due itself: after commit."""
    from .publishing import pages_changed

    pages_changed(schedule=True)


def page_content_written(sender, **kwargs):
    """Pages, old addresses, labels and authors show on public pages too."""
    from .publishing import pages_changed

    if set(kwargs.get("update_fields") or ()) == {"last_login"}:
        return  # Logging in changes no page.
    pages_changed()
