from django.db import models


class CommentOrigin(models.Model):
    """The browser a comment came from (a digest of its key): what trust is tied to."""

    comment = models.OneToOneField(
        "django_comments_xtd.XtdComment",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="origin",
    )
    browser = models.CharField(max_length=64, db_index=True)

    class Meta:
        verbose_name = "comment origin"

    def __str__(self):
        return f"Origin of comment {self.comment_id}"
