from django.apps import AppConfig


class CachingConfig(AppConfig):
    name = "caching"
    verbose_name = "Page cache"

    def ready(self):
        from blog.publishing import public_pages_changed

        from .receivers import pages_changed

        public_pages_changed.connect(pages_changed, dispatch_uid="caching-pages-changed")
