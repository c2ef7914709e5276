from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from taggit.models import Tag

from .models import Post

FEED_LENGTH = 20


class LatestPostsFeed(Feed):
    description_template = "blog/feed_item_description.html"

    def title(self):
        return settings.QUIRE_SITE_NAME

    def subtitle(self):
        return settings.QUIRE_SITE_DESCRIPTION

    description = subtitle

    def link(self):
        return reverse("blog:post_list")

    def items(self):
        return Post.objects.published().for_listing()[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.author.get_full_name() or item.author.get_username()

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]


class LatestPostsAtomFeed(LatestPostsFeed):
    feed_type = Atom1Feed


class TagPostsFeed(LatestPostsFeed):
    def get_object(self, request, slug):
        tag = get_object_or_404(Tag, slug=slug)
        # As on the tag page: a label only drafts or scheduled posts carry is not public yet.
        if not Post.objects.published().tagged(tag).exists():
            raise Http404("No posts with this label.")
        return tag

    def title(self, tag):
        return f"{settings.QUIRE_SITE_NAME}: posts labelled {tag.name}"

    def subtitle(self, tag):
        return f"The newest posts labelled {tag.name}."

    description = subtitle

    def link(self, tag):
        return reverse("blog:tag_detail", kwargs={"slug": tag.slug})

    def items(self, tag):
        return Post.objects.published().for_listing().tagged(tag)[:FEED_LENGTH]


class TagPostsAtomFeed(TagPostsFeed):
    feed_type = Atom1Feed
