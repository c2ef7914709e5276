"""The admin upload: an author imports an export from the browser and reads the same ledger."""

import os
import tempfile

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse

from .images import ImageFetcher
from .importer import import_export
from .models import ImportedItem, LegacyAddress
from .readers import ExportError, sniff


class ImportForm(forms.Form):
    export = forms.FileField(
        help_text="Blogger's backup (.xml) or Takeout feed.atom, or WordPress' export (.xml)."
    )
    dry_run = forms.BooleanField(
        required=False, label="Dry run", help_text="Show the ledger and write nothing."
    )
    download_images = forms.BooleanField(
        required=False, help_text="Fetch the images posts use from the old blog's host."
    )
    replace_edited = forms.BooleanField(
        required=False,
        label="Replace entries edited here",
        help_text="Take the old blog's version even of posts and pages you edited here since "
        "the last import. Without it they stay as you left them, and the ledger lists them.",
    )

    def clean_export(self):
        upload = self.cleaned_data["export"]
        if upload.size > settings.QUIRE_MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                "This file is %(size)s; the largest export Quire takes here is %(limit)s. "
                "Import it with manage.py instead.",
                params={
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(settings.QUIRE_MAX_IMPORT_BYTES),
                },
            )
        return upload


@admin.register(ImportedItem)
class ImportedItemAdmin(admin.ModelAdmin):
    list_display = ("kind", "original_id", "source", "content_object", "updated_at")
    list_filter = ("kind", "source")
    search_fields = ("original_id",)
    readonly_fields = [f.name for f in ImportedItem._meta.fields]

    def has_add_permission(self, request):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name="interchange_import"), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra = {"import_url": reverse("admin:interchange_import"), **(extra_context or {})}
        return super().changelist_view(request, extra_context=extra)

    def import_view(self, request):
        """Staff who may add posts upload an export here; CSRF is checked by admin_view."""
        if not request.user.has_perm("blog.add_post"):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        ledger = error = None
        if request.method == "POST" and form.is_valid():
            ledger, error = self.run_import(form.cleaned_data)
        context = {
            **self.admin_site.each_context(request),
            "title": "Import a blog",
            "form": form,
            "ledger": ledger,
            "error": error,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/interchange/import.html", context)

    @staticmethod
    def run_import(data):
        upload = data["export"]
        with tempfile.NamedTemporaryFile(suffix=".xml", delete=False) as file:
            for chunk in upload.chunks():
                file.write(chunk)
        try:
            platform = sniff(file.name)
            images = None
            if data["download_images"] and not data["dry_run"]:
                images = ImageFetcher(hosts=settings.QUIRE_IMPORT_IMAGE_HOSTS)
            ledger = import_export(
                path=file.name,
                platform=platform,
                dry_run=data["dry_run"],
                images=images,
                replace_edited=data["replace_edited"],
            )
            return ledger.summary(), None
        except ExportError as error:
            return None, str(error)
        finally:
            os.unlink(file.name)


@admin.register(LegacyAddress)
class LegacyAddressAdmin(admin.ModelAdmin):
    list_display = ("path", "post", "page", "tag", "url_name")
    search_fields = ("path",)
    raw_id_fields = ("post", "page", "tag")
