from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save, pre_save


class CommentsConfig(AppConfig):
    name = "comments"
    # The queue is under "Comments" (the library's app); this app holds the moderators' rules.
    verbose_name = "Moderation"

    def ready(self):
        from blog.models import Page, Post

        from . import xtd
        from .moderation import PageCommentModerator, PostCommentModerator
        from .signals import comment_changed, comment_posted, comment_saved, comment_saved_html

        xtd.moderator.register(Post, PostCommentModerator)
        xtd.moderator.register(Page, PageCommentModerator)
        post_save.connect(
            comment_saved_html, sender=xtd.XtdComment, dispatch_uid="comments-html-save"
        )
        post_save.connect(
            comment_changed, sender=xtd.XtdComment, dispatch_uid="comments-count-save"
        )
        post_delete.connect(
            comment_changed, sender=xtd.XtdComment, dispatch_uid="comments-count-del"
        )
        # The same receiver, but a mail server that is down no longer gives the reader a 500.
        xtd.comment_was_posted.disconnect(xtd.on_comment_was_posted, sender=xtd.TmpXtdComment)
        xtd.comment_was_posted.connect(
            comment_posted, sender=xtd.TmpXtdComment, dispatch_uid="comments-posted"
        )
        # Sent with the request right after the library creates a posted comment.
        xtd.confirmation_received.connect(
            comment_saved, sender=xtd.TmpXtdComment, dispatch_uid="comments-own-session"
        )
        # The library republishes every reply under a comment each time that comment is
        # saved, replies still waiting for a moderator included. Moderation is per comment here.
        pre_save.disconnect(xtd.publish_or_unpublish_on_pre_save, sender=xtd.XtdComment._meta.label)
