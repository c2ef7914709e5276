import re

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path

from blog.sitemaps import sitemaps
from blog.views import robots_txt
from config.views import favicon, media

admin.site.site_header = f"{settings.QUIRE_SITE_NAME} admin"
admin.site.site_title = settings.QUIRE_SITE_NAME

urlpatterns = [
    path("admin/", admin.site.urls),
    path("comments/", include("comments.urls")),  # Not the library's urls: see comments/urls.py.
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("favicon.ico", favicon),
    path("preview/link/", include("desk.urls")),  # Under /preview/, which robots.txt keeps out.
    path("", include("blog.urls")),
]

# Uploads on local disk with no proxy in front (`make serve`, gunicorn alone): see README.
if settings.QUIRE_SERVE_MEDIA and not settings.QUIRE_S3_BUCKET:
    urlpatterns.insert(
        0,
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$",
            media,
            {"document_root": settings.MEDIA_ROOT},
            name="media",
        ),
    )
