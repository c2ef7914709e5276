from django.apps import AppConfig


class DeskConfig(AppConfig):
    """The author's desk: the admin where posts, pages and images are written."""

    name = "desk"
    verbose_name = "Author's desk"
