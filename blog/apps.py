from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = "Blog"

    def ready(self):
        from .models import Post
        from .signals import create_cache_table, post_written, sync_site_from_settings

        post_migrate.connect(sync_site_from_settings, sender=self)
        post_migrate.connect(create_cache_table, sender=self)
        post_save.connect(post_written, sender=Post, dispatch_uid="blog-post-saved")
        post_delete.connect(post_written, sender=Post, dispatch_uid="blog-post-deleted")
