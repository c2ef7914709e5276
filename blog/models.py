from django.conf import settings
from django.contrib.redirects.models import Redirect
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from imagekit.models import ImageSpecField
from taggit.managers import TaggableManager

from .images import RENDITION_SPECS, RenditionsMixin, validate_image_upload
from .rendering import reading_time_minutes, render_markdown, summarize

ADDRESS_FIELDS = {"status", "published_at", "slug"}


class PostQuerySet(models.QuerySet):
    def published(self):
        """The one rule for what the public may see: published, and its time has come."""
        return self.filter(status=Post.Status.PUBLISHED, published_at__lte=timezone.now())

    def for_listing(self):
        return self.select_related("author").prefetch_related("tags")


class Post(RenditionsMixin, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    # Unique per month because the address is /<year>/<month>/<slug>/.
    slug = models.SlugField(max_length=200, unique_for_month="published_at", allow_unicode=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="posts"
    )
    body = models.TextField(help_text="Markdown. Fenced code, tables and footnotes work.")
    excerpt = models.TextField(
        blank=True, help_text="Optional. Shown on the home page and in feeds instead of the body."
    )
    cover = models.ImageField(
        upload_to="covers/%Y/%m/", blank=True, validators=[validate_image_upload]
    )
    cover_alt = models.CharField(
        "cover alt text", max_length=300, blank=True,
        help_text="Describe the cover image for readers who cannot see it.",
    )  # fmt: skip
    tags = TaggableManager(blank=True, help_text="Labels, separated by commas.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        "publication date", default=timezone.now,
        help_text="A time in the future schedules the post: it appears by itself then.",
    )  # fmt: skip
    allow_comments = models.BooleanField("comments open", default=True)

    # Derived on save, so that no page view renders Markdown or counts words.
    body_html = models.TextField(editable=False, default="")
    summary = models.TextField(editable=False, default="")
    reading_time = models.PositiveSmallIntegerField(editable=False, default=1)
    # Kept by the comments app whenever a comment becomes (or stops being) public.
    comment_count = models.PositiveIntegerField(editable=False, default=0)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    cover_480 = ImageSpecField(source="cover", spec=RENDITION_SPECS[480])
    cover_960 = ImageSpecField(source="cover", spec=RENDITION_SPECS[960])
    cover_1600 = ImageSpecField(source="cover", spec=RENDITION_SPECS[1600])
    rendition_source = "cover"

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        get_latest_by = "published_at"
        indexes = [models.Index(fields=["status", "published_at"])]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body)
        self.summary = (
            summarize(render_markdown(self.excerpt), 60)
            if self.excerpt
            else summarize(self.body_html)
        )
        self.reading_time = reading_time_minutes(self.body_html)
        with transaction.atomic():
            super().save(*args, **kwargs)
            self._keep_old_address()

    def get_absolute_url(self):
        local = timezone.localtime(self.published_at)
        return reverse(
            "blog:post_detail",
            kwargs={"year": local.year, "month": f"{local.month:02d}", "slug": self.slug},
        )

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Remember where a published post lives, so save() can tell that it moved.
        if ADDRESS_FIELDS.issubset(field_names) and instance.is_published:
            instance._stored_url = instance.get_absolute_url()
        return instance

    def clean(self):
        if self.cover and not self.cover_alt.strip():
            raise ValidationError({"cover_alt": "Describe the cover image for screen readers."})

    def _keep_old_address(self):
        """A published post that moves leaves a permanent redirect at its old address."""
        old_url = getattr(self, "_stored_url", None)
        new_url = self.get_absolute_url()
        if self.is_published:
            self._stored_url = new_url
        if not old_url or old_url == new_url:
            return
        # contrib.redirects keeps paths in 200 characters; a long unicode slug, percent-encoded,
        # can exceed that, and PostgreSQL would refuse the whole save.
        limit = Redirect._meta.get_field("old_path").max_length
        if len(old_url) > limit or len(new_url) > limit:
            return
        Redirect.objects.filter(site_id=settings.SITE_ID, old_path=new_url).delete()
        Redirect.objects.filter(site_id=settings.SITE_ID, new_path=old_url).update(new_path=new_url)
        Redirect.objects.update_or_create(
            site_id=settings.SITE_ID, old_path=old_url, defaults={"new_path": new_url}
        )

    def get_preview_url(self):
        return reverse("blog:post_preview", kwargs={"pk": self.pk})

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()

    @property
    def is_scheduled(self):
        return self.status == self.Status.PUBLISHED and self.published_at > timezone.now()


class PageQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def in_navigation(self):
        return self.published().filter(show_in_navigation=True)


class Page(models.Model):
    """A standing page such as About or Contact, outside the stream of posts."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True)
    body = models.TextField(help_text="Markdown.")
    body_html = models.TextField(editable=False, default="")
    is_published = models.BooleanField("published", default=True)
    show_in_navigation = models.BooleanField(default=True)
    navigation_order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["navigation_order", "title"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("blog:page_detail", kwargs={"slug": self.slug})


class Image(RenditionsMixin, models.Model):
    """An image the author uploads to use inside a post body."""

    title = models.CharField(max_length=200)
    image = models.ImageField(upload_to="images/%Y/%m/", validators=[validate_image_upload])
    alt_text = models.CharField(max_length=300, help_text="Describe the image for screen readers.")
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    image_480 = ImageSpecField(source="image", spec=RENDITION_SPECS[480])
    image_960 = ImageSpecField(source="image", spec=RENDITION_SPECS[960])
    image_1600 = ImageSpecField(source="image", spec=RENDITION_SPECS[1600])

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.image:
            self.width, self.height = self.image.width, self.image.height
        super().save(*args, **kwargs)

    def snippet(self):
        """HTML to paste into a post body: responsive renditions, the original kept for zoom."""
        return format_html(
            '<img src="{}" srcset="{}" sizes="(max-width: 44rem) 100vw, 44rem" alt="{}" '
            'loading="lazy">',
            self.rendition_src(),
            self.rendition_srcset(),
            self.alt_text,
        )
