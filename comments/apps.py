from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save, pre_save


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Comments"

    def ready(self):
        from django_comments.signals import comment_was_posted
        from django_comments_xtd.models import (
            TmpXtdComment,
            XtdComment,
            publish_or_unpublish_on_pre_save,
        )
        from django_comments_xtd.moderation import moderator
        from django_comments_xtd.signals import confirmation_received
        from django_comments_xtd.views import on_comment_was_posted

        from blog.models import Post

        from .moderation import PostCommentModerator
        from .signals import comment_changed, comment_posted, comment_saved

        moderator.register(Post, PostCommentModerator)
        post_save.connect(comment_changed, sender=XtdComment, dispatch_uid="comments-count-save")
        post_delete.connect(comment_changed, sender=XtdComment, dispatch_uid="comments-count-del")
        # The same receiver, but a mail server that is down no longer gives the reader a 500.
        comment_was_posted.disconnect(on_comment_was_posted, sender=TmpXtdComment)
        comment_was_posted.connect(
            comment_posted, sender=TmpXtdComment, dispatch_uid="comments-posted"
        )
        # Sent with the request right after the library creates a posted comment.
        confirmation_received.connect(
            comment_saved, sender=TmpXtdComment, dispatch_uid="comments-own-session"
        )
        # The library republishes every reply under a comment each time that comment is
        # saved, replies still waiting for a moderator included. Moderation is per comment here.
        pre_save.disconnect(publish_or_unpublish_on_pre_save, sender=XtdComment._meta.label)
