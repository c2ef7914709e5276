import datetime
import re
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from .images import (
    RenditionsMixin,
    add_renditions,
    is_animation,
    strip_metadata,
    upload_to_covers,
    upload_to_images,
    validate_image_upload,
)
from .rendering import DERIVED_FIELDS, fill_derived, render_markdown
from .search import index_posts

# Any ASCII punctuation may be escaped in Markdown: an alt text comes out exactly as typed.
MARKDOWN_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")


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


def is_public(status, published_at):
    """PostQuerySet.published() for one post, in Python."""
    return status == Post.Status.PUBLISHED and published_at <= timezone.now()


class PostQuerySet(models.QuerySet):
    def published(self):
        """The one rule for what the public may see: published, and its time has come."""
        return self.filter(status=Post.Status.PUBLISHED, published_at__lte=timezone.now())

    def within(self, *conditions, **lookups):
        """filter() for bounds on published_at, put before published()'s own bound.

        With two upper bounds on a column, SQLite ranges its index over the first one only: a
        post's older neighbour, a month or a page deep in the blog walked every newer post from
        now back to its bound (11 ms for one query in the middle of 100,000). PostgreSQL takes
        both bounds wherever they stand.
        """
        before = len(self.query.where.children)
        bounded = self.filter(*conditions, **lookups)
        where = bounded.query.where  # The new terms are appended to it, flat or as one node.
        where.children = where.children[before:] + where.children[:before]
        return bounded

    def scheduled(self):
        """Published for a time still to come: public by itself then (blog/publishing.py)."""
        return self.filter(status=Post.Status.PUBLISHED, published_at__gt=timezone.now())

    def drafts(self):
        return self.filter(status=Post.Status.DRAFT)

    def for_listing(self):
        # No page shows the search vector (kilobytes a post on PostgreSQL): it stays unread.
        # to_attr: a plain list, where a prefetched manager costs taggit a queryset a post.
        return (
            self.select_related("author")
            .prefetch_related(models.Prefetch("tags", to_attr="prefetched_labels"))
            .defer("search_vector")
        )

    def tagged(self, tag):
        # A label is on a post at most once (TaggedPost's constraint): the join repeats no post.
        return self.filter(tagged_items__tag=tag)


class TaggedPost(TaggedItemBase):
    """A label on a post, with a real foreign key: no content-type join, as bakerydemo does."""

    content_object = models.ForeignKey(
        "Post", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        verbose_name = "label on a post"
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="blog_post_label_once")
        ]


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
        blank=True,
        help_text=(
            "Optional. Shown on the home page, in link previews and to search engines instead "
            "of the body's opening; feeds carry the whole post."
        ),
    )
    cover = models.ImageField(
        upload_to=upload_to_covers,
        blank=True,
        validators=[validate_image_upload],
        width_field="cover_width",
        height_field="cover_height",
    )
    # Kept by the ImageField, so that pages give the cover's size without opening the file.
    cover_width = models.PositiveIntegerField(null=True, editable=False)
    cover_height = models.PositiveIntegerField(null=True, editable=False)
    cover_alt = models.CharField(
        "cover alt text", max_length=300, blank=True,
        help_text="Describe the cover image for readers who cannot see it.",
    )  # fmt: skip
    tags = TaggableManager(blank=True, through=TaggedPost, help_text="Labels, separated by commas.")
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

    # PostgreSQL's search index for this post (blog.search.index_posts); NULL on SQLite, whose
    # index is the FTS5 table blog_post_search.
    search_vector = SearchVectorField(null=True, editable=False)

    # When post_published went out for this post (blog/publishing.py); set once, never reset.
    announced_at = models.DateTimeField(null=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    rendition_size_fields = ("cover_width", "cover_height")

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        get_latest_by = "published_at"
        indexes = [
            models.Index(fields=["status", "published_at"]),
            # The few posts still waiting for their publication event (blog/publishing.py).
            models.Index(
                fields=["published_at"],
                condition=models.Q(announced_at__isnull=True),
                name="blog_post_unannounced",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        strip_metadata(self.cover)  # A cover is public by nature: it never keeps its EXIF.
        fill_derived(self)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *DERIVED_FIELDS}
        with transaction.atomic():
            stored_public_path = self._read_stored_row()
            super().save(*args, **kwargs)
            self._keep_address_history(stored_public_path)
            index_posts([self.pk], using=self._state.db)

    def get_absolute_url(self):
        # A listing asks up to three times a post: reverse once, again only if the fields move.
        key = (self.published_at, self.slug)
        if getattr(self, "_path_for", None) != key:
            self._path_for, self._path = key, post_path(*key)
        return self._path

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

    def _read_stored_row(self):
        """Where the stored row is public now, read from the database rather than from what was
        loaded (a post loaded with .only(), refreshed, or built by an importer knows nothing of
        it); and its announcement, which only blog.publishing writes, so a save cannot undo it.
        """
        if self._state.adding:
            return None
        row = (
            Post.objects.select_for_update()
            .filter(pk=self.pk)
            .values_list("status", "published_at", "slug", "announced_at")
            .first()
        )
        if row is None:
            return None
        status, published_at, slug, self.announced_at = row
        return post_path(published_at, slug) if is_public(status, published_at) else None

    def _keep_address_history(self, stored_public_path):
        """Keep each address the post was public at and has left, or stopped being public at.

        Kept addresses redirect only while the post is public, so nothing leaks meanwhile.
        """
        current_path = self.get_absolute_url()
        if stored_public_path and (stored_public_path != current_path or not self.is_published):
            PostAddress.objects.update_or_create(path=stored_public_path, defaults={"post": self})
        if self.is_published:
            self.addresses.filter(path=current_path).delete()

    def cover_picture(self):
        """The cover as a <picture>: at the top of the page, so fetched first, never lazily."""
        return self.picture(alt=self.cover_alt, is_above_the_fold=True)

    def get_preview_url(self):
        return reverse("blog:post_preview", kwargs={"pk": self.pk})

    @property
    def labels(self):
        """The post's labels: for_listing() fetched them for the whole page, else one query."""
        try:
            return self.prefetched_labels
        except AttributeError:
            return list(self.tags.all())

    @property
    def is_published(self):
        return is_public(self.status, self.published_at)

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
        post = cls.public_post_at(path)
        target = post.get_absolute_url() if post is not None else None
        return target if target != path else None

    @classmethod
    def public_post_at(cls, path):
        """The public post that used to live at this (stored, escaped) path, or None."""
        address = cls.objects.filter(path=path).select_related("post").first()
        return address.post if address is not None and address.post.is_published else None


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
    # Off for a new page (About, Contact take none); an import turns it on for a page with comments.
    allow_comments = models.BooleanField("comments open", default=False)
    # Kept by the comments app, as Post.comment_count is.
    comment_count = models.PositiveIntegerField(editable=False, default=0)
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
    image = models.ImageField(upload_to=upload_to_images, validators=[validate_image_upload])
    alt_text = models.CharField(max_length=300, help_text="Describe the image for screen readers.")
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    keep_metadata = models.BooleanField(
        "keep the photo's metadata",
        default=False,
        help_text="Off, the location, camera and other EXIF data are removed as it is uploaded.",
    )
    # Shown as it came, not as renditions: each of those is one still frame.
    is_animated = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.image and not getattr(self.image, "_committed", True):
            self.is_animated = is_animation(self.image)
        if not self.keep_metadata:
            strip_metadata(self.image)
        if self.image:
            self.width, self.height = self.image.width, self.image.height
        super().save(*args, **kwargs)

    def snippet(self):
        """The Markdown line to paste into a body: it renders as this image's <picture>."""
        alt = MARKDOWN_PUNCTUATION.sub(r"\\\g<0>", " ".join(self.alt_text.split()))
        return f"![{alt}](<{self.image.url}>)"


add_renditions(Post, "cover")
add_renditions(Image, "image")
