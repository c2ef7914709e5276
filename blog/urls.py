from django.urls import path

from . import feeds, views

app_name = "blog"

urlpatterns = [
    path("", views.PostListView.as_view(), name="post_list"),
    path("archive/", views.archive_index, name="archive"),
    path("search/", views.search, name="search"),
    path("feed/", feeds.LatestPostsAtomFeed(), name="feed_atom"),
    path("feed/rss/", feeds.LatestPostsFeed(), name="feed_rss"),
    path("tag/<str:slug>/", views.TagPostListView.as_view(), name="tag_detail"),
    path("tag/<str:slug>/feed/", feeds.TagPostsAtomFeed(), name="tag_feed_atom"),
    path("tag/<str:slug>/feed/rss/", feeds.TagPostsFeed(), name="tag_feed_rss"),
    path("p/<str:slug>/", views.PageDetailView.as_view(), name="page_detail"),
    path("preview/<int:pk>/", views.PostPreviewView.as_view(), name="post_preview"),
    path("<int:year>/", views.PostYearArchiveView.as_view(), name="archive_year"),
    path("<int:year>/<int:month>/", views.PostMonthArchiveView.as_view(), name="archive_month"),
    path(
        "<int:year>/<int:month>/<str:slug>/",
        views.PostDetailView.as_view(),
        name="post_detail",
    ),
]
