from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = "Blog"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.core import checks
        from taggit.models import Tag

        from .checks import check_schedule_files
        from .models import Page, Post, PostAddress, TaggedPost
        from .search import label_renamed, labels_changed
        from .signals import (
            create_cache_table,
            forget_cached_reads,
            page_content_written,
            post_written,
            sync_site_from_settings,
        )

        checks.register(check_schedule_files)
        post_migrate.connect(sync_site_from_settings, sender=self)
        post_migrate.connect(create_cache_table, sender=self)
        post_migrate.connect(forget_cached_reads, sender=self)
        post_save.connect(post_written, sender=Post, dispatch_uid="blog-post-saved")
        post_delete.connect(post_written, sender=Post, dispatch_uid="blog-post-deleted")
        # Search indexing runs in the writer's transaction, not on commit: never a stale index.
        m2m_changed.connect(labels_changed, sender=Post.tags.through, dispatch_uid="blog-search")
        post_save.connect(label_renamed, sender=Tag, dispatch_uid="blog-search-label")
        for model in (Page, PostAddress, TaggedPost, Tag, get_user_model()):
            uid = f"blog-pages-{model._meta.label_lower}"
            post_save.connect(page_content_written, sender=model, dispatch_uid=f"{uid}-saved")
            post_delete.connect(page_content_written, sender=model, dispatch_uid=f"{uid}-deleted")
