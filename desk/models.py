"""What the author's desk keeps beside the posts themselves."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from blog.models import Post


class Revision(models.Model):
    """A post's words as they stood at one moment: every save, every autosave, every restore."""

    class Kind(models.TextChoices):
        SAVED = "saved", "Saved"
        AUTOSAVE = "autosave", "Autosave (not saved)"
        RESTORED = "restored", "Restored"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(max_length=200)
    body = models.TextField()
    excerpt = models.TextField(blank=True)
    labels = models.TextField(blank=True, help_text="The labels as the tags field shows them.")
    # A revision outlives its writer's account: history still says "a former author".
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="post_revisions",
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SAVED)
    restored_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # An autosave is as old as its latest words: each autosave moves it forward.
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = "created_at"
        indexes = [models.Index(fields=["post", "-created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "author"],
                condition=models.Q(kind="autosave"),
                name="desk_one_autosave_per_post_and_author",
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.get_kind_display()}, {self.created_at:%Y-%m-%d %H:%M})"

    @property
    def content(self):
        """What a revision is about, for comparing two of them."""
        return (self.title, self.body, self.excerpt, self.labels)


class PreviewLink(models.Model):
    """A signed address at which anyone may read an unpublished post, until it expires or the
    author withdraws it. The token names this row, so revoking the row kills the address."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="preview_links")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Preview of {self.post} until {self.expires_at:%Y-%m-%d %H:%M}"

    @property
    def is_active(self):
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def lifetime(self):
        return self.expires_at - self.created_at
