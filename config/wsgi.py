import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

django_application = get_wsgi_application()

from caching.wsgi import PageCacheApplication  # noqa: E402  (needs Django set up)
from config.health import bypass_page_cache  # noqa: E402

application = bypass_page_cache(PageCacheApplication(django_application), django_application)
