from django.conf import settings


def sync_site_from_settings(**kwargs):
    """Keep django.contrib.sites in step with QUIRE_DOMAIN, so feeds and sitemaps link home."""
    from django.contrib.sites.models import Site

    Site.objects.update_or_create(
        pk=settings.SITE_ID,
        defaults={"domain": settings.QUIRE_DOMAIN, "name": settings.QUIRE_SITE_NAME},
    )
