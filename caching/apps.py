from django.apps import AppConfig


class CachingConfig(AppConfig):
    name = "caching"
    verbose_name = "Page cache"

    def ready(self):
        from django.core import checks

        from blog.publishing import public_pages_changed

        from .checks import check_generation_file

        checks.register(check_generation_file)

        from .receivers import pages_changed

        public_pages_changed.connect(pages_changed, dispatch_uid="caching-pages-changed")
