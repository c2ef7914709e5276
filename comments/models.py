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


class HoldRule(models.TextChoices):
    LINKS = "links", "Too many links"
    BLOCKLIST = "blocklist", "Blocked word"
    OLD_POST = "old_post", "Old post"
    REPLY_TO_WAITING = "reply_to_waiting", "Reply to a waiting comment"
    FIRST_TIME = "first_time", "First comment"


class HoldReason(models.Model):
    """Why a comment waits for a moderator: the rule, and what in the comment set it off."""

    comment = models.ForeignKey(
        "django_comments_xtd.XtdComment", on_delete=models.CASCADE, related_name="hold_reasons"
    )
    rule = models.CharField(max_length=32, choices=HoldRule.choices, db_index=True)
    detail = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.detail
