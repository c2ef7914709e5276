import re

from django.conf import settings
from django.contrib.syndication.views import Feed, add_domain
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from taggit.models import Tag

from .models import Post

FEED_LENGTH = 20
# Characters XML 1.0 cannot carry at all: one in a title or a comment would break the feed.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(value):
    if isinstance(value, str):
        return NOT_XML.sub("", value)
    if isinstance(value, list | tuple):
        return type(value)(xml_safe(item) for item in value)
    return value


class XMLSafeFeedMixin:
    """Feeds stay well-formed whatever text posts and comments hold."""

    def __init__(self, *args, **kwargs):
        super().__init__(*map(xml_safe, args), **{k: xml_safe(v) for k, v in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*map(xml_safe, args), **{k: xml_safe(v) for k, v in kwargs.items()})


class AtomFeed(XMLSafeFeedMixin, Atom1Feed):
    pass


class RssFeed(XMLSafeFeedMixin, Rss201rev2Feed):
    pass


class LatestPostsFeed(Feed):
    feed_type = RssFeed
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

    def get_context_data(self, **kwargs):
        """The description's: the post's own address, against which its links are read."""
        context = super().get_context_data(**kwargs)
        site, request = kwargs["site"], kwargs["request"]
        context["post_url"] = add_domain(
            site.domain, kwargs["item"].get_absolute_url(), request.is_secure()
        )
        return context

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.author.get_full_name() or item.author.get_username()

    def item_categories(self, item):
        return [tag.name for tag in item.labels]


class LatestPostsAtomFeed(LatestPostsFeed):
    feed_type = AtomFeed


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
    feed_type = AtomFeed
