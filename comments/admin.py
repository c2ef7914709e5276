"""The moderation queue: pending comments first, with everything a moderator decides on."""

import datetime

from django.contrib import admin
from django.db.models import (
    Case,
    CharField,
    Count,
    IntegerField,
    OuterRef,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.text import Truncator

from blog.models import Post

from . import services
from .models import HoldReason, HoldRule
from .selectors import AWAITING_MODERATION, PUBLIC, comment_is_public
from .xtd import CAN_MODERATE, XtdComment, XtdCommentsAdmin

# Replace the library's registration with the queue below.
admin.site.unregister(XtdComment)


class StatusFilter(admin.SimpleListFilter):
    """The queue opens on what waits; "All" is a choice of its own."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            ("pending", "Awaiting moderation"),
            ("public", "Public"),
            ("removed", "Removed"),
            ("all", "All"),
        ]

    def value(self):
        return super().value() or "pending"

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        if self.value() == "pending":
            return queryset.filter(AWAITING_MODERATION)
        if self.value() == "public":
            return queryset.filter(PUBLIC)
        if self.value() == "removed":
            return queryset.filter(is_removed=True)
        return queryset


class HoldRuleFilter(admin.SimpleListFilter):
    """Why comments were held, with how often each rule fired in the last 30 days."""

    title = "held because"
    parameter_name = "held"

    def lookups(self, request, model_admin):
        since = timezone.now() - datetime.timedelta(days=30)
        fired = dict(
            HoldReason.objects.filter(created_at__gte=since)
            .values_list("rule")
            .annotate(count=Count("pk"))
            .values_list("rule", "count")
        )
        return [
            (rule, f"{label} ({fired.get(rule, 0)} in 30 days)") for rule, label in HoldRule.choices
        ]

    def queryset(self, request, queryset):
        if self.value() in HoldRule.values:
            return queryset.filter(hold_reasons__rule=self.value()).distinct()
        return queryset


@admin.register(XtdComment)
class CommentModerationAdmin(XtdCommentsAdmin):
    list_display = ("status", "excerpt", "held_because", "post_title", "user_name", "user_email",
                    "ip_address", "submit_date")  # fmt: skip
    list_display_links = ("excerpt",)
    list_filter = (StatusFilter, HoldRuleFilter, "submit_date")
    readonly_fields = ("held_because",)
    fieldsets = (
        ("Moderation", {"fields": ("held_because", "is_public", "is_removed")}),
        ("Comment", {"fields": ("user_name", "user_email", "user_url", "comment", "followup")}),
        ("Details", {"fields": ("submit_date", "ip_address", "user", "content_type", "object_pk",
                                "site")}),
    )  # fmt: skip
    list_select_related = ("user",)
    actions = ["approve_comments", "reject_comments", "mark_spam"]
    search_fields = ["user_name", "user_email", "comment", "ip_address"]
    date_hierarchy = None
    list_per_page = 50

    def get_queryset(self, request):
        post_title = Post.objects.annotate(pk_text=Cast("pk", CharField())).filter(
            pk_text=OuterRef("object_pk")
        )
        # ModelAdmin.get_queryset() orders before we could annotate, so build it here.
        return (
            self.model._default_manager.get_queryset()
            .annotate(
                post_title=Subquery(post_title.values("title")[:1]),
                queue_position=Case(
                    When(AWAITING_MODERATION, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                ),
            )
            .prefetch_related("hold_reasons")
            .order_by(*self.get_ordering(request))
        )

    def get_ordering(self, request):
        return ["queue_position", "-submit_date"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm(CAN_MODERATE):
            return {}
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request, obj, form, change):
        if change and "is_public" in form.changed_data and comment_is_public(obj):
            # Publishing by hand is an approval too: trust the address, tell the followers.
            # Before saving, so that the service still sees the stored comment as unpublished.
            services.comments_approve(comments=[obj], moderator=request.user)
        super().save_model(request, obj, form, change)

    @admin.display(description="status")
    def status(self, obj):
        if comment_is_public(obj):
            return "public"
        return "removed" if obj.is_removed else "awaiting moderation"

    @admin.display(description="held because")
    def held_because(self, obj):
        return "; ".join(reason.detail for reason in obj.hold_reasons.all()) or "—"

    @admin.display(description="comment")
    def excerpt(self, obj):
        return Truncator(obj.comment).chars(120)

    @admin.display(description="post", ordering="post_title")
    def post_title(self, obj):
        return obj.post_title

    @admin.action(description="Approve selected comments")
    def approve_comments(self, request, queryset):
        count = services.comments_approve(comments=queryset, moderator=request.user)
        self.message_user(request, f"{count} comment(s) approved and published.")

    @admin.action(description="Reject (remove) selected comments")
    def reject_comments(self, request, queryset):
        count = services.comments_reject(comments=queryset, moderator=request.user)
        self.message_user(request, f"{count} comment(s) removed.")

    @admin.action(description="Mark selected comments as spam")
    def mark_spam(self, request, queryset):
        count = services.comments_mark_spam(comments=queryset, moderator=request.user)
        self.message_user(request, f"{count} comment(s) marked as spam and removed.")
