"""The writing area of the post and page forms: a Markdown textarea that static/desk/editor.js
turns into an editor with a live preview, keyboard shortcuts and images dropped, pasted or
picked from the library. Without JavaScript it stays the plain textarea."""

import posixpath
import re

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_POST
from PIL import Image as PILImage

from blog.models import Image
from blog.rendering import render_markdown

# A preview is rendered on every pause in typing; a body this long is rendered on save only.
MAX_PREVIEW_CHARS = 500_000
IMAGES_PER_PAGE = 24
# Names browsers give a pasted screenshot: no use as a title in the library.
GENERIC_FILE_STEMS = {"image", "blob", "clipboard", "pasted image", "screenshot", "untitled"}


class MarkdownEditor(forms.Textarea):
    """The textarea itself, in a container that carries the editor's endpoints for the script."""

    # In desk/templates, not templates/: Django's form renderer reads only the apps' folders.
    template_name = "desk/widgets/markdown_editor.html"

    class Media:
        css = {"all": ["desk/editor.css"]}
        js = ["desk/editor.js"]

    def __init__(self, urls, attrs=None):
        self.urls = urls
        super().__init__(attrs={"rows": 24, "cols": 80, **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["editor"] = {
            "render_url": reverse(self.urls["render"]),
            "upload_url": reverse(self.urls["upload"]),
            "images_url": reverse(self.urls["images"]),
            "max_upload_bytes": settings.QUIRE_MAX_UPLOAD_BYTES,
            "max_upload_size": filesizeformat(settings.QUIRE_MAX_UPLOAD_BYTES),
        }
        return context


def image_markdown(url, alt):
    """`![alt](url)`, the form the renderer knows as a library image; the alt text on one line
    and its brackets escaped, so no description can end the image early."""
    alt = re.sub(r"\s+", " ", alt).strip()
    alt = re.sub(r"([\\\[\]])", r"\\\1", alt)
    return f"![{alt}]({url})"


class EditorImageForm(forms.ModelForm):
    """An image as the editor uploads it: alt text is required unless the author says the image
    is decorative; the model's own checks (a real image, size and pixel limits) still run."""

    # A plain file field: the model's validate_image_upload says what is wrong, in our words.
    image = forms.FileField(error_messages={"required": "Choose an image file to upload."})
    decorative = forms.BooleanField(required=False)

    class Meta:
        model = Image
        fields = ("image", "title", "alt_text")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["alt_text"].required = False
        # The errors reach the author as sentences without their field: each names its own.
        self.fields["alt_text"].error_messages["max_length"] = (
            "Alt text can be at most %(limit_value)d characters (this is %(show_value)d): "
            "say what matters here and leave the rest to the post."
        )
        self.fields["title"].error_messages["max_length"] = (
            "A title can be at most %(limit_value)d characters (this is %(show_value)d)."
        )

    def clean(self):
        cleaned = super().clean()
        if "alt_text" in self.errors:
            return cleaned
        alt = " ".join(cleaned.get("alt_text", "").split())
        if cleaned.get("decorative"):
            alt = ""
        elif not alt:
            self.add_error(
                "alt_text",
                "Describe the image for readers who cannot see it, or mark it as decorative.",
            )
        cleaned["alt_text"] = alt
        if upload := cleaned.get("image"):
            if not cleaned.get("title"):
                cleaned["title"] = title_for(upload.name, alt)
            upload.name = name_with_extension(upload)
        return cleaned


def title_for(file_name, alt):
    stem = posixpath.splitext(posixpath.basename(file_name))[0]
    words = " ".join(re.split(r"[-_\s]+", stem)).strip()
    if not words or words.lower() in GENERIC_FILE_STEMS:
        words = alt or "Pasted image"
    title_limit = Image._meta.get_field("title").max_length
    return words[:title_limit]


def name_with_extension(upload):
    """A pasted file may come as "blob": stored under the extension of what it really is, the
    web server sends it with the right type."""
    stem, extension = posixpath.splitext(upload.name or "image")
    try:
        position = upload.tell()
        with PILImage.open(upload) as image:
            real_format = image.format
        upload.seek(position)
    except Exception:
        return upload.name  # Not an image: validate_image_upload refuses it, in its words.
    extensions = {
        ext for ext, fmt in PILImage.registered_extensions().items() if fmt == real_format
    }
    if extension.lower() in extensions:
        return upload.name
    preferred = {"JPEG": ".jpg", "PNG": ".png", "GIF": ".gif", "WEBP": ".webp"}
    return stem + preferred.get(real_format, extension)


def image_entry(image):
    return {
        "id": image.pk,
        "title": image.title,
        "alt": image.alt_text,
        "url": image.image.url,
        "thumbnail": image.image_480.url,
        "width": image.width,
        "height": image.height,
        "markdown": image_markdown(image.image.url, image.alt_text),
    }


def refusal(message):
    """A 403 the editor's script can show as it is."""
    return JsonResponse({"errors": [message]}, status=403)


def form_errors(form):
    return [message for messages in form.errors.values() for message in messages]


class MarkdownEditorAdminMixin:
    """For a ModelAdmin whose `markdown_fields` are written in Markdown: those fields get the
    editor, and the admin gains the editor's three endpoints under `editor/`."""

    markdown_fields = ("body",)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.markdown_fields:
            kwargs["widget"] = MarkdownEditor(urls=self.editor_url_names())
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def editor_url_names(self):
        prefix = f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_editor"
        return {name: f"{prefix}_{name}" for name in ("render", "upload", "images")}

    def get_urls(self):
        # admin_view: staff only, CSRF checked, never cached by the browser or a proxy.
        prefix = f"{self.opts.app_label}_{self.opts.model_name}_editor"
        wrap = self.admin_site.admin_view
        return [
            path("editor/render/", wrap(require_POST(self.editor_render)), name=f"{prefix}_render"),
            path("editor/images/", wrap(require_GET(self.editor_images)), name=f"{prefix}_images"),
            path(
                "editor/images/upload/",
                wrap(require_POST(self.editor_upload)),
                name=f"{prefix}_upload",
            ),
            *super().get_urls(),
        ]

    def may_write(self, request):
        return self.has_change_permission(request) or self.has_add_permission(request)

    def editor_render(self, request):
        if not self.may_write(request):
            raise PermissionDenied
        text = request.POST.get("text", "")
        if len(text) > MAX_PREVIEW_CHARS:
            return HttpResponse(
                f"This text is over {MAX_PREVIEW_CHARS:,} characters, too long to preview as "
                "you type. Save it and view the post to see it.",
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return HttpResponse(render_markdown(text), content_type="text/html; charset=utf-8")

    def editor_upload(self, request):
        if not (self.may_write(request) and request.user.has_perm("blog.add_image")):
            return refusal("You may not add images to the library: ask an administrator.")
        form = EditorImageForm(request.POST, request.FILES)
        if not form.is_valid():
            return JsonResponse({"errors": form_errors(form)}, status=400)
        image = form.save()
        return JsonResponse(image_entry(image), status=201)

    def editor_images(self, request):
        may_see = request.user.has_perm("blog.view_image") or request.user.has_perm(
            "blog.change_image"
        )
        if not (self.may_write(request) and may_see):
            return refusal("You may not see the image library: ask an administrator.")
        images = Image.objects.order_by("-uploaded_at", "-pk")
        query = request.GET.get("q", "").strip()[:200]
        if query:
            images = images.filter(Q(title__icontains=query) | Q(alt_text__icontains=query))
        page = Paginator(images, IMAGES_PER_PAGE).get_page(request.GET.get("page"))
        return JsonResponse(
            {
                "images": [image_entry(image) for image in page],
                "query": query,
                "page": page.number,
                "pages": page.paginator.num_pages,
                "count": page.paginator.count,
                "has_next": page.has_next(),
                "has_previous": page.has_previous(),
            }
        )
