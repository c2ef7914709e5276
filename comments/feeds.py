from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.syndication.views import Feed
from django.db.models import CharField
from django.db.models.functions import Cast
from django.shortcuts import get_object_or_404
from django.urls import reverse

from blog.feeds import AtomFeed
from blog.models import Post

from .rendering import comment_text
from .selectors import public_comments

FEED_LENGTH = 30


class LatestCommentsFeed(Feed):
    """Public comments on published posts, newest first."""

    feed_type = AtomFeed

    def title(self):
        return f"{settings.QUIRE_SITE_NAME}: latest comments"

    def subtitle(self):
        return f"The newest comments on {settings.QUIRE_SITE_NAME}."

    def link(self):
        return reverse("blog:post_list")

    def items(self):
        return self.comments_on(Post.objects.published())

    def comments_on(self, posts):
        posts = posts.annotate(pk_text=Cast("pk", CharField()))
        comments = list(
            public_comments()
            .filter(
                content_type=ContentType.objects.get_for_model(Post),
                object_pk__in=posts.values("pk_text"),
            )
            .select_related("user")
            .order_by("-submit_date", "-pk")[:FEED_LENGTH]
        )
        # One query for the posts of all items, not one per comment.
        by_pk = Post.objects.in_bulk([int(c.object_pk) for c in comments])
        for comment in comments:
            comment.post = by_pk[int(comment.object_pk)]
        return comments

    def item_title(self, item):
        return f"{item.name} on “{item.post.title}”"

    def item_description(self, item):
        return comment_text(item.comment)

    def item_link(self, item):
        return f"{item.post.get_absolute_url()}#c{item.pk}"

    def item_pubdate(self, item):
        return item.submit_date

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
