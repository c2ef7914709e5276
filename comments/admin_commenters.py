"""The moderators' word on commenters and on what they write: patterns, bans and trust.

Registered when comments.admin imports it.
"""

from django.contrib import admin
from django.db.models import Count

from . import services
from .models import BlockedEmailDomain, CommenterBan, CommenterTrust, CommentPattern
from .xtd import CAN_MODERATE, BlackListedDomain

# The library's own registration, under its model's name, moves in with the other rules below.
if admin.site.is_registered(BlackListedDomain):
    admin.site.unregister(BlackListedDomain)


class ModeratorsAdmin(admin.ModelAdmin):
    """Moderators keep these without a permission of their own for each: deciding is their job."""

    def has_module_permission(self, request):
        return request.user.has_perm(CAN_MODERATE)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(CAN_MODERATE)

    def has_add_permission(self, request):
        return request.user.has_perm(CAN_MODERATE)

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm(CAN_MODERATE)

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm(CAN_MODERATE)


@admin.register(CommentPattern)
class CommentPatternAdmin(ModeratorsAdmin):
    """Rules moderators write themselves, beside the settings' word lists."""

    list_display = ("pattern", "action", "note", "is_active", "created_at")
    list_editable = ("is_active",)
    list_filter = ("action", "is_active")
    search_fields = ("pattern", "note")


@admin.register(CommenterBan)
class CommenterBanAdmin(ModeratorsAdmin):
    """Bans, from the queue's "ban" link on a row or added here; lifted by deleting them."""

    list_display = ("email", "reason", "expires_at", "created_at")
    search_fields = ("email", "reason")

    def get_changeform_initial_data(self, request):
        return {"email": request.GET.get("email", "")[:254]}


@admin.register(CommenterTrust)
class CommenterTrustAdmin(ModeratorsAdmin):
    """Who is trusted and from where: approving a comment, or Trust in the queue or on a
    comment's page, adds to it; withdrawing holds their comments again until trusted anew."""

    list_display = ("email", "scope", "browser_count", "note", "decided_by", "updated_at")
    list_filter = ("scope",)
    search_fields = ("email", "note")
    fields = ("email", "scope", "note", "decided_by", "updated_at")
    readonly_fields = ("decided_by", "updated_at")
    radio_fields = {"scope": admin.VERTICAL}
    actions = ["withdraw_trust"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("decided_by")
            .annotate(browser_total=Count("browsers"))
        )

    def get_readonly_fields(self, request, obj=None):
        return ("email", *self.readonly_fields) if obj else self.readonly_fields

    @admin.display(description="browsers", ordering="browser_total")
    def browser_count(self, obj):
        if obj.scope == CommenterTrust.Scope.ANY_BROWSER:
            return "any"
        return obj.browser_total

    def save_model(self, request, obj, form, change):
        if obj.scope == CommenterTrust.Scope.WITHDRAWN and "scope" in form.changed_data:
            super().save_model(request, obj, form, change)
            services.commenters_withdraw_trust(trusts=[obj], moderator=request.user)
            return
        obj.decided_by = request.user
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        return False  # Withdraw instead: a withdrawn trust keeps approvals from trusting again.

    @admin.action(description="Withdraw trust: their comments wait for a moderator again")
    def withdraw_trust(self, request, queryset):
        count = services.commenters_withdraw_trust(trusts=queryset, moderator=request.user)
        self.message_user(request, f"Trust withdrawn from {count} commenter(s).")


# What the queue and a comment's page say of their author's trust.


def is_trusted_here(comment):
    """Their next comment from this comment's browser would skip the queue, as far as trust goes."""
    scope = comment.trust_scope
    return scope == CommenterTrust.Scope.ANY_BROWSER or (
        scope == CommenterTrust.Scope.BROWSERS and comment.from_trusted_browser
    )


def trust_state(comment):
    """What the queue says of an author's trust; a warning when the browser is not theirs."""
    scope = comment.trust_scope
    if scope == CommenterTrust.Scope.ANY_BROWSER:
        return "trusted from any browser"
    if scope == CommenterTrust.Scope.WITHDRAWN:
        return "trust withdrawn"
    if scope == CommenterTrust.Scope.BROWSERS and comment.from_trusted_browser:
        return "trusted"
    if scope == CommenterTrust.Scope.BROWSERS:
        return "trusted from other browsers, not the one this came from: check before trusting"
    return "not trusted"


def trusted_message(comment, *, any_browser):
    if any_browser:
        return f"Trusted {comment.user_email} from any browser: their next comments skip the queue."
    if not hasattr(comment, "origin"):
        return (
            f"Trusted {comment.user_email}, but this comment came from no browser we know: only "
            "their comments from browsers you approve will skip the queue."
        )
    return (
        f"Trusted {comment.user_email}: their next comments from the browser this one came from "
        "skip the queue."
    )


@admin.register(BlockedEmailDomain)
class BlockedEmailDomainAdmin(ModeratorsAdmin):
    list_display = ["domain"]
    search_fields = ["domain"]
