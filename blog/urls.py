from django.urls import path, register_converter

from . import feeds, views


class SlugConverter:
    """A slug as stored: any script, and whatever signs a label made outside the admin holds,
    but never a "/" or a ".", which no slug we make has. Not "str": with it
    `/2024/10/old-post.html/` was a post's address, so Django's slash-appending answered an old
    Blogger address with a permanent redirect to a 404."""

    regex = r"[^/.]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class MonthConverter:
    """Two digits, as every address Quire writes has it: /2026/8/ is not a second /2026/08/."""

    regex = r"[0-9]{2}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):02d}"


register_converter(SlugConverter, "slug_any")
register_converter(MonthConverter, "month")

app_name = "blog"

urlpatterns = [
    path("", views.PostListView.as_view(), name="post_list"),
    path("archive/", views.archive_index, name="archive"),
    path("search/", views.search, name="search"),
    path("feed/", feeds.LatestPostsAtomFeed(), name="feed_atom"),
    path("feed/rss/", feeds.LatestPostsFeed(), name="feed_rss"),
    path("tag/<slug_any:slug>/", views.TagPostListView.as_view(), name="tag_detail"),
    path("tag/<slug_any:slug>/feed/", feeds.TagPostsAtomFeed(), name="tag_feed_atom"),
    path("tag/<slug_any:slug>/feed/rss/", feeds.TagPostsFeed(), name="tag_feed_rss"),
    path("p/<slug_any:slug>/", views.PageDetailView.as_view(), name="page_detail"),
    path("preview/<int:pk>/", views.PostPreviewView.as_view(), name="post_preview"),
    path("<int:year>/", views.PostYearArchiveView.as_view(), name="archive_year"),
    path("<int:year>/<month:month>/", views.PostMonthArchiveView.as_view(), name="archive_month"),
    path(
        "<int:year>/<month:month>/<slug_any:slug>/",
        views.PostDetailView.as_view(),
        name="post_detail",
    ),
]
