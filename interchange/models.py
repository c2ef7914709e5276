"""Where every imported thing came from, so a second import updates instead of duplicating."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.encoding import escape_uri_path


class ImportedItem(models.Model):
    """One entry of an export (post, page, comment, label, author, image) and what it became."""

    class Kind(models.TextChoices):
        POST = "post"
        PAGE = "page"
        COMMENT = "comment"
        LABEL = "label"
        AUTHOR = "author"
        IMAGE = "image"

    # The blog it came from: "blogger:<blog id>" or "wordpress:<blog url>".
    source = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    original_id = models.CharField(max_length=500)
    # The nth entry of the file with this id: two entries that share an id are both kept.
    occurrence = models.PositiveSmallIntegerField(default=1)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    content_object = GenericForeignKey("content_type", "object_id")
    # A digest of the entry as last imported: an unchanged entry is left alone.
    fingerprint = models.CharField(max_length=64, blank=True)
    # A digest of the post or page as the import last left it (provenance.content_digest): a
    # change since is the author's own, kept by the next import. Empty: not known.
    written = models.CharField(max_length=64, blank=True)
    # The import run that last met this entry: tells a second entry with the same id apart.
    run = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "original_id", "occurrence"],
                name="interchange_item_once",
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.source} {self.kind} {self.original_id}"


class LegacyAddress(models.Model):
    """An old address that is not a post's (pages, labels, feeds, ?p=123): a 301 to its heir.

    Posts' old paths live in blog.PostAddress; this holds the rest, and query-string forms.
    """

    # Percent-encoded path, with the query string for WordPress' /?p=123 forms.
    path = models.CharField(max_length=2000, unique=True)
    post = models.ForeignKey("blog.Post", null=True, blank=True, on_delete=models.CASCADE)
    page = models.ForeignKey("blog.Page", null=True, blank=True, on_delete=models.CASCADE)
    tag = models.ForeignKey("taggit.Tag", null=True, blank=True, on_delete=models.CASCADE)
    # A URL name of ours (a feed), with the tag's slug when tag is set.
    url_name = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "legacy addresses"

    def __str__(self):
        return self.path

    def clean(self):
        """As typed in the admin: stored as requests arrive, and leading somewhere real."""
        path, _, query = self.path.strip().partition("?")
        if not path.startswith("/"):
            message = "Give the path on this site, starting with “/”, with no https:// or host."
            raise ValidationError({"path": message})
        self.path = self.normalise(path, query)
        if not (self.post or self.page or self.tag or self.url_name):
            raise ValidationError(
                "Choose where this address leads: a post, a page, a label or a feed."
            )
        if self.url_name:
            try:
                self._named_path()
            except NoReverseMatch:
                message = f"No address of this blog is named “{self.url_name}” for that target."
                raise ValidationError({"url_name": message}) from None

    def target(self):
        """Where this address leads now, or None while its heir is not public."""
        if self.post is not None:
            if not self.post.is_published:
                return None
            return self._named_path() if self.url_name else self.post.get_absolute_url()
        if self.page is not None:
            return self.page.get_absolute_url() if self.page.is_published else None
        try:
            if self.url_name:
                return self._named_path()
            if self.tag is not None:
                return reverse("blog:tag_detail", kwargs={"slug": self.tag.slug})
            return None
        except NoReverseMatch:
            return None

    def _named_path(self):
        """Our address named url_name, for this address's post (its comment feed) or label."""
        if self.post is not None:
            return reverse(self.url_name, kwargs={"post_id": self.post.pk})
        if self.tag is not None:
            return reverse(self.url_name, kwargs={"slug": self.tag.slug})
        return reverse(self.url_name)

    @staticmethod
    def normalise(path, query=""):
        """The stored form of a path: percent-encoded as requests arrive, query kept if given."""
        from urllib.parse import unquote

        path = escape_uri_path(unquote(path or "/"))
        return f"{path}?{query}" if query else path
