from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class InterchangeConfig(AppConfig):
    name = "interchange"
    verbose_name = "Moving in and out"

    def ready(self):
        from blog.signals import page_content_written

        from .models import LegacyAddress

        # An old address answers with a redirect: a page cached at it must go when it changes.
        uid = "interchange-legacy-address"
        post_save.connect(page_content_written, sender=LegacyAddress, dispatch_uid=f"{uid}-saved")
        post_delete.connect(
            page_content_written, sender=LegacyAddress, dispatch_uid=f"{uid}-deleted"
        )
