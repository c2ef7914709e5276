"""Every comment route of the site; the library's own urls are not mounted.

The names are the library's, un-namespaced, because the library reverses them itself
("comments-comment-done", "comments-xtd-confirm", "comments-url-redirect", ...).
Flagging, likes and the front-end moderation pages are not offered: moderation is in the admin.
"""

from django.urls import path, register_converter
from django.urls.converters import IntConverter

from . import feeds, views
from .xtd import confirm_view


class PkConverter(IntConverter):
    """Digits that fit every database's integer: longer ones 404 instead of overflowing."""

    regex = views.PK_PATTERN


register_converter(PkConverter, "comments_pk")  # Converter names are global.
PAGE = {"target": "blog.page"}

urlpatterns = [
    path("post/", views.post_comment, name="comments-post-comment"),
    path("write/<comments_pk:post_pk>/", views.write, name="comments-write"),
    path("fields/<comments_pk:post_pk>/", views.form_fields, name="comments-form-fields"),
    # A page's comments: the same views, told the form is for a blog.Page.
    path("write/page/<comments_pk:post_pk>/", views.write, PAGE, name="comments-write-page"),
    path(
        "fields/page/<comments_pk:post_pk>/",
        views.form_fields,
        PAGE,
        name="comments-form-fields-page",
    ),
    path("moderate/<str:token>/", views.moderate, name="comments-moderate"),
    path("posted/", views.comment_posted, name="comments-comment-done"),
    path("sent/", views.comment_posted, name="comments-xtd-sent"),
    path("reply/<comments_pk:cid>/", views.reply, name="comments-xtd-reply"),
    path("confirm/<str:key>/", confirm_view, name="comments-xtd-confirm"),
    path("mute/<str:key>/", views.mute, name="comments-xtd-mute"),
    path(
        "cr/<comments_pk:content_type_id>/<str:object_pk>/",
        views.comment_redirect,
        name="comments-url-redirect",
    ),
    path("feed/", feeds.LatestCommentsFeed(), name="comments-feed"),
    path("feed/<comments_pk:post_id>/", feeds.PostCommentsFeed(), name="comments-post-feed"),
]
