from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save, pre_save


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Comments"

    def ready(self):
        from django_comments_xtd.models import XtdComment, publish_or_unpublish_on_pre_save
        from django_comments_xtd.moderation import moderator

        from blog.models import Post

        from .moderation import PostCommentModerator
        from .signals import comment_changed

        moderator.register(Post, PostCommentModerator)
        post_save.connect(comment_changed, sender=XtdComment, dispatch_uid="comments-count-save")
        post_delete.connect(comment_changed, sender=XtdComment, dispatch_uid="comments-count-del")
        # The library republishes every reply under a comment each time that comment is
        # saved, replies still waiting for a moderator included. Moderation is per comment here.
        pre_save.disconnect(publish_or_unpublish_on_pre_save, sender=XtdComment._meta.label)
