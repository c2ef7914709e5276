from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.text import slugify
from taggit.models import Tag

from blog.models import Image, Page, Post, PostAddress
from blog.services import post_change_status
from desk.editor import MarkdownEditorAdminMixin


class PostAdminForm(forms.ModelForm):
    """PostAdmin's form; the admin supplies the model and fields."""

    def clean_tags(self):
        tags = self.cleaned_data["tags"]
        # A label such as "🙂" slugifies to "": it would get no address and break every page.
        unusable = [name for name in tags if not slugify(name, allow_unicode=True)]
        if unusable:
            raise forms.ValidationError(
                "Each label needs at least one letter or digit: %(labels)s.",
                params={"labels": ", ".join(unusable)},
            )
        # taggit keeps names in 100 characters; PostgreSQL would refuse a longer one with a 500.
        limit = Tag._meta.get_field("name").max_length
        if any(len(name) > limit for name in tags):
            raise forms.ValidationError(
                "Labels can be at most %(limit)s characters long.", params={"limit": limit}
            )
        return tags


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
    list_filter = ("status", "published_at", "tags", "allow_comments")
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
            {"fields": ("status", "published_at", "author", "allow_comments", "preview_link")},
        ),
        ("Record", {"fields": ("comment_count", "created_at", "updated_at")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author").prefetch_related("tags")

    def get_changeform_initial_data(self, request):
        return {"author": request.user.pk, **super().get_changeform_initial_data(request)}

    @admin.display(description="Status", ordering="status")
    def status_label(self, post):
        if post.is_scheduled:
            return "Scheduled"
        return post.get_status_display()

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

    @admin.action(description="Publish the selected posts", permissions=["change"])
    def publish(self, request, queryset):
        count = sum(post_change_status(post=p, status=Post.Status.PUBLISHED) for p in queryset)
        self.message_user(request, f"Published {count} post(s).", messages.SUCCESS)

    @admin.action(
        description="Unpublish the selected posts (back to draft)", permissions=["change"]
    )
    def unpublish(self, request, queryset):
        count = sum(post_change_status(post=p, status=Post.Status.DRAFT) for p in queryset)
        self.message_user(request, f"Moved {count} post(s) back to draft.", messages.SUCCESS)

    def view_on_site(self, post):
        return post.get_absolute_url() if post.is_published else post.get_preview_url()


@admin.register(Page)
class PageAdmin(MarkdownEditorAdminMixin, admin.ModelAdmin):
    list_display = ("title", "slug", "is_published", "show_in_navigation", "navigation_order")
    list_editable = ("navigation_order",)
    prepopulated_fields = {"slug": ("title",)}
    search_fields = ("title", "body")


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ("thumbnail", "title", "dimensions", "uploaded_at")
    search_fields = ("title", "alt_text")
    readonly_fields = ("thumbnail", "snippet_to_copy", "dimensions", "uploaded_at")
    fields = ("title", "image", "alt_text", "thumbnail", "dimensions", "snippet_to_copy")

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
            '<textarea readonly rows="4" cols="80">{}</textarea>'
            "<p>Copy this into a post body; readers get a size that fits their screen.</p>",
            image.snippet(),
        )
