from django.apps import AppConfig
from django.db.models.signals import post_migrate


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = "Blog"

    def ready(self):
        from .signals import create_cache_table, sync_site_from_settings

        post_migrate.connect(sync_site_from_settings, sender=self)
        post_migrate.connect(create_cache_table, sender=self)
