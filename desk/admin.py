from django.contrib import admin, messages
from django.contrib.sites.models import Site
from django.core.exceptions import ValidationError
from django.utils.html import format_html

from blog.models import Image, Page, Post, PostAddress
from blog.services import post_change_status
from desk.editor import MarkdownEditorAdminMixin

from . import revision_admin, revisions
from .forms import PostAdminForm
from .publication import (
    PublicationFilter,
    blog_time_in_zone,
    draft_notice,
    publication_label,
    publication_summary,
)

# The site's name and domain are settings (QUIRE_SITE_NAME, QUIRE_DOMAIN, applied on migrate):
# a row edited here would reach neither the page cache nor the Site cache of other workers.
if admin.site.is_registered(Site):
    admin.site.unregister(Site)


class PostAddressInline(admin.TabularInline):
    """Addresses the post has been public at; each one redirects to where it is now."""

    model = PostAddress
    extra = 0
    fields = ("path", "created_at")
    readonly_fields = ("created_at",)
    verbose_name = "address readers may still use"
    verbose_name_plural = "addresses readers may still use (each redirects here)"


@admin.register(Post)
class PostAdmin(MarkdownEditorAdminMixin, admin.ModelAdmin):
    inlines = [PostAddressInline]
    form = PostAdminForm
    list_display = ("title", "status_label", "published_at", "tag_list", "comment_count")
    list_filter = (PublicationFilter, "published_at", "tags", "allow_comments")
    search_fields = ("title", "body", "excerpt")
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("preview_link", "comment_count", "created_at", "updated_at")
    actions = ("publish", "unpublish")
    fieldsets = (
        (None, {"fields": ("title", "slug", "body", "excerpt", "tags")}),
        ("Cover image", {"fields": ("cover", "cover_alt")}),
        (
            "Publication",
            {
                "fields": (
                    "publication",
                    "publication_time",
                    "author",
                    "allow_comments",
                    "preview_link",
                )
            },
        ),
        ("Record", {"fields": ("comment_count", "created_at", "updated_at")}),
    )

    class Media:
        js = ("desk/autosave.js",)
        css = {"all": ("desk/revisions.css",)}

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author").prefetch_related("tags")

    def get_urls(self):
        return revision_admin.post_admin_urls(self) + super().get_urls()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        revisions.revision_record(post=form.instance, author=request.user)

    def history_view(self, request, object_id, extra_context=None):
        if "log" in request.GET:  # Django's own record of admin actions, still one link away.
            return super().history_view(request, object_id, extra_context)
        return revision_admin.post_history(self, request, object_id)

    def get_changeform_initial_data(self, request):
        return {"author": request.user.pk, **super().get_changeform_initial_data(request)}

    @admin.display(description="Status", ordering="status")
    def status_label(self, post):
        return publication_label(post)

    # Shown instead of the form's control to staff who may only view posts.
    @admin.display(description="Publication")
    def publication(self, post):
        return publication_summary(post)

    @admin.display(description="Date and time")
    def publication_time(self, post):
        return blog_time_in_zone(post.published_at)

    def save_model(self, request, obj, form, change):
        if change:
            revisions.revision_keep_first_words(post_pk=obj.pk)
        super().save_model(request, obj, form, change)
        if notice := draft_notice(obj):
            self.message_user(request, notice, messages.WARNING)

    @admin.display(description="Tags")
    def tag_list(self, post):
        return ", ".join(tag.name for tag in post.tags.all())

    @admin.display(description="Preview")
    def preview_link(self, post):
        if not post.pk:
            return "Save the post to preview it."
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">'
            "Preview this post as readers will see it</a>",
            post.get_preview_url(),
        )

    @admin.action(description="Publish the selected posts now", permissions=["change"])
    def publish(self, request, queryset):
        count = self._change_status(request, queryset, Post.Status.PUBLISHED, "published")
        self.message_user(request, f"Published {count} post(s).", messages.SUCCESS)

    def _change_status(self, request, queryset, status, done):
        """How many posts changed; a post that a rule keeps as it was is named, with the rule."""
        count = 0
        for post in queryset:
            try:
                count += post_change_status(post=post, status=status)
            except ValidationError as error:
                reason = " ".join(error.messages)
                self.message_user(request, f"“{post.title}” not {done}: {reason}", messages.ERROR)
        return count

    @admin.action(
        description="Unpublish the selected posts (back to draft)", permissions=["change"]
    )
    def unpublish(self, request, queryset):
        count = self._change_status(request, queryset, Post.Status.DRAFT, "unpublished")
        self.message_user(request, f"Moved {count} post(s) back to draft.", messages.SUCCESS)

    def view_on_site(self, post):
        return post.get_absolute_url() if post.is_published else post.get_preview_url()


@admin.register(Page)
class PageAdmin(MarkdownEditorAdminMixin, admin.ModelAdmin):
    list_display = (
        "title", "slug", "is_published", "show_in_navigation", "navigation_order",
        "allow_comments", "comment_count",
    )  # fmt: skip
    list_editable = ("navigation_order",)
    list_filter = ("is_published", "allow_comments")
    prepopulated_fields = {"slug": ("title",)}
    search_fields = ("title", "body")


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ("thumbnail", "title", "dimensions", "uploaded_at")
    search_fields = ("title", "alt_text")
    readonly_fields = ("thumbnail", "snippet_to_copy", "dimensions", "uploaded_at")
    fields = (
        "title", "image", "alt_text", "keep_metadata", "thumbnail", "dimensions", "snippet_to_copy",
    )  # fmt: skip

    @admin.display(description="Preview")
    def thumbnail(self, image):
        if not image.pk:
            return "—"
        return format_html('<img src="{}" alt="" style="max-width:160px">', image.image_480.url)

    @admin.display(description="Size")
    def dimensions(self, image):
        return f"{image.width}×{image.height}" if image.pk else "—"

    @admin.display(description="Snippet for a post body")
    def snippet_to_copy(self, image):
        if not image.pk:
            return "Save the image to get a snippet to paste into a post."
        return format_html(
            '<textarea readonly rows="2" cols="80">{}</textarea>'
            "<p>Copy this line into a post body; readers get a size and format that fit.</p>",
            image.snippet(),
        )
