import datetime
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.utils.html import format_html
from imagekit.models import ImageSpecField
from taggit.managers import TaggableManager
from taggit.models import TaggedItem

from .images import RENDITION_SPECS, RenditionsMixin, validate_image_upload
from .rendering import reading_time_minutes, render_markdown, summarize

ADDRESS_FIELDS = {"status", "published_at", "slug"}


def post_path(published_at, slug):
    """/<year>/<month>/<slug>/, the month as the blog's time zone sees it."""
    local = timezone.localtime(published_at)
    return reverse(
        "blog:post_detail",
        kwargs={"year": local.year, "month": f"{local.month:02d}", "slug": slug},
    )


def month_bounds(year, month):
    """The first instant of a month and of the next, in the blog's time zone."""
    start = datetime.datetime(year, month, 1)
    end = datetime.datetime(year + month // 12, month % 12 + 1, 1)
    return timezone.make_aware(start), timezone.make_aware(end)


class PostQuerySet(models.QuerySet):
    def published(self):
        """The one rule for what the public may see: published, and its time has come."""
        return self.filter(status=Post.Status.PUBLISHED, published_at__lte=timezone.now())

    def for_listing(self):
        return self.select_related("author").prefetch_related("tags")

    def tagged(self, tag):
        """Posts with this label, as EXISTS rather than filter(tags=tag).

        That join casts taggit's integer object_id to our bigint pk, so PostgreSQL cannot use
        taggit's index and scans every tagging for each post; EXISTS lets either database walk
        the (status, published_at) index and probe taggit's.
        """
        tagged = TaggedItem.objects.filter(
            tag=tag,
            content_type=ContentType.objects.get_for_model(self.model),
            object_id=OuterRef("pk"),
        )
        return self.filter(Exists(tagged))


class Post(RenditionsMixin, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    # Unique within its month (the address is /<year>/<month>/<slug>/): see clean().
    slug = models.SlugField(max_length=200, allow_unicode=True)
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
            self._remember_address()

    def get_absolute_url(self):
        return post_path(self.published_at, self.slug)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # What decides the address as loaded, so save() can tell that the post moved. Only the
        # values: every listing loads posts, and few of them are saved.
        if ADDRESS_FIELDS.issubset(field_names):
            instance._loaded_address = (instance.status, instance.published_at, instance.slug)
        return instance

    def clean(self):
        errors = {}
        if self.cover and not self.cover_alt.strip():
            errors["cover_alt"] = "Describe the cover image for screen readers."
        if self.slug and self.published_at and self._slug_taken_in_month():
            local = timezone.localtime(self.published_at)
            errors["slug"] = (
                f"Another post published in {local:%B %Y} already has this slug; "
                "pick another so both keep an address."
            )
        if errors:
            raise ValidationError(errors)

    def _slug_taken_in_month(self):
        # Not unique_for_month: Django compares the month number only, ignoring the year.
        local = timezone.localtime(self.published_at)
        start, end = month_bounds(local.year, local.month)
        same_month = Post.objects.filter(
            slug=self.slug, published_at__gte=start, published_at__lt=end
        )
        return same_month.exclude(pk=self.pk).exists()

    def _remember_address(self):
        """Keep each address the post was public at and has left, or stopped being public at.

        Kept addresses redirect only while the post is public, so nothing leaks meanwhile.
        """
        status, published_at, slug = getattr(self, "_loaded_address", (None, None, None))
        was_public = status == self.Status.PUBLISHED and published_at <= timezone.now()
        public_url = post_path(published_at, slug) if was_public else None
        current_url = self.get_absolute_url()
        if public_url and (public_url != current_url or not self.is_published):
            PostAddress.objects.update_or_create(path=public_url, defaults={"post": self})
        if self.is_published:
            self.addresses.filter(path=current_url).delete()
        self._loaded_address = (self.status, self.published_at, self.slug)

    def get_preview_url(self):
        return reverse("blog:post_preview", kwargs={"pk": self.pk})

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()

    @property
    def is_scheduled(self):
        return self.status == self.Status.PUBLISHED and self.published_at > timezone.now()


class PostAddress(models.Model):
    """An address a post has been public at: old slugs and dates, later imported addresses.

    A request that would 404 there is sent to the post's current address, while it is public.
    """

    path = models.CharField(max_length=2000, unique=True, help_text="Percent-encoded path.")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="addresses")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "post addresses"

    def __str__(self):
        return self.path

    def clean(self):
        """An address typed into the admin, stored as the requests for it will arrive."""
        parts = urlsplit(self.path.strip())
        if parts.scheme or parts.netloc or parts.query or parts.fragment:
            raise ValidationError(
                {"path": "Give the path only, such as /2012/05/old-title.html: no host or ?query."}
            )
        if not parts.path.startswith("/"):
            raise ValidationError(
                {"path": "A path starts with /, such as /2012/05/old-title.html."}
            )
        self.path = escape_uri_path(unquote(parts.path))

    @classmethod
    def redirect_target(cls, request):
        """The current address of the public post that used to live at this request's path."""
        path = escape_uri_path(request.path)
        address = cls.objects.filter(path=path).select_related("post").first()
        if address is None or not address.post.is_published:
            return None
        target = address.post.get_absolute_url()
        return target if target != path else None


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
