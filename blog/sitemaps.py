from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Page, Post


class PostSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Post.objects.published().only("slug", "published_at", "updated_at")

    def lastmod(self, post):
        return post.updated_at


class PageSitemap(Sitemap):
    changefreq = "yearly"
    priority = 0.5

    def items(self):
        return Page.objects.published().only("slug", "updated_at")

    def lastmod(self, page):
        return page.updated_at


class StaticViewSitemap(Sitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ["blog:post_list", "blog:archive"]

    def location(self, name):
        return reverse(name)


sitemaps = {"posts": PostSitemap, "pages": PageSitemap, "static": StaticViewSitemap}
