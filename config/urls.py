from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from blog.sitemaps import sitemaps
from blog.views import robots_txt
from config.views import favicon

admin.site.site_header = f"{settings.QUIRE_SITE_NAME} admin"
admin.site.site_title = settings.QUIRE_SITE_NAME

urlpatterns = [
    path("admin/", admin.site.urls),
    path("comments/", include("comments.urls")),  # Not the library's urls: see comments/urls.py.
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("favicon.ico", favicon),
    path("", include("blog.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
