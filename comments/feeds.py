from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.syndication.views import Feed
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.shortcuts import get_object_or_404
from django.urls import reverse

from blog.feeds import AtomFeed
from blog.models import Page, Post

from .models import comment_html
from .selectors import comment_targets, public_comments

FEED_LENGTH = 30


class LatestCommentsFeed(Feed):
    """Public comments on published posts and pages, newest first."""

    feed_type = AtomFeed

    def title(self):
        return f"{settings.QUIRE_SITE_NAME}: latest comments"

    def subtitle(self):
        return f"The newest comments on {settings.QUIRE_SITE_NAME}."

    def link(self):
        return reverse("blog:post_list")

    def items(self):
        return self.comments_on(Post.objects.published(), Page.objects.published())

    def comments_on(self, *targets):
        """The newest public comments on any of these querysets of posts or pages."""
        on_targets = Q()
        for queryset in targets:
            on_targets |= Q(
                content_type=ContentType.objects.get_for_model(queryset.model),
                object_pk__in=queryset.annotate(pk_text=Cast("pk", CharField())).values("pk_text"),
            )
        comments = list(
            public_comments()
            .filter(on_targets)
            .select_related("user", "stored_html")
            .order_by("-submit_date", "-pk")[:FEED_LENGTH]
        )
        # One query per kind of target for all items, not one per comment.
        targets_by_comment = comment_targets(comments, fields=("pk", "title", "slug"))
        for comment in comments:
            comment.post = targets_by_comment[comment.pk]
        return comments

    def item_title(self, item):
        return f"{item.name} on “{item.post.title}”"

    def item_description(self, item):
        return comment_html(item)

    def item_link(self, item):
        return item.get_absolute_url()  # Through the redirect: it knows the comment's page.

    def item_pubdate(self, item):
        return item.submit_date

    def item_updateddate(self, item):
        return item.submit_date  # Atom requires it; a comment is not edited once public.

    def item_author_name(self, item):
        return item.name


class PostCommentsFeed(LatestCommentsFeed):
    def get_object(self, request, post_id):
        return get_object_or_404(Post.objects.published(), pk=post_id)

    def title(self, post):
        return f"Comments on “{post.title}”"

    def subtitle(self, post):
        return f"The newest comments on “{post.title}”, {settings.QUIRE_SITE_NAME}."

    def link(self, post):
        return post.get_absolute_url()

    def items(self, post):
        return self.comments_on(Post.objects.published().filter(pk=post.pk))
