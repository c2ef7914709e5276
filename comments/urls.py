"""Mounted at /comments/ before the library's urls, so these take over its paths and names.

No app_name: the library reverses its own un-namespaced names ("comments-comment-done", ...).
"""

from django.urls import path, re_path

from . import feeds, views

urlpatterns = [
    path("post/", views.post_comment, name="comments-post-comment"),
    path("posted/", views.comment_posted, name="comments-comment-done"),
    path("sent/", views.comment_posted, name="comments-xtd-sent"),
    path("reply/<int:cid>/", views.reply, name="comments-xtd-reply"),
    path("feed/", feeds.LatestCommentsFeed(), name="comments-feed"),
    path("feed/<int:post_id>/", feeds.PostCommentsFeed(), name="comments-post-feed"),
    re_path(r"^api/", views.not_offered),
]
