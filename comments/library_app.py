"""django-comments-xtd's app as moderators see it in the admin.

The one reach into the library outside comments/xtd.py: an app config loads before any model,
and xtd.py imports models. Kept out of apps.py so Django still picks CommentsConfig there.
"""

from django_comments_xtd.apps import CommentsXtdConfig


class CommentsLibraryConfig(CommentsXtdConfig):
    verbose_name = "Comments"  # Not "Comments Xtd".
