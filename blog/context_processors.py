from django.conf import settings

from .models import Page


def site(request):
    return {
        "site_name": settings.QUIRE_SITE_NAME,
        "site_description": settings.QUIRE_SITE_DESCRIPTION,
        # Lazy: evaluated only by templates that draw the navigation.
        "navigation_pages": Page.objects.in_navigation().only("title", "slug"),
    }
