"""The moderation queue: pending comments first, with everything a moderator decides on."""

import datetime

from django.contrib import admin
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Lower
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.text import Truncator

from blog.models import Page, Post, post_path

from . import services
from .admin_commenters import is_trusted_here, trust_state, trusted_message
from .models import (
    SPAM_RULES,
    BotCheck,
    BotCount,
    CommenterTrust,
    HoldReason,
    HoldRule,
    TrustedBrowser,
)
from .rendering import comment_text
from .selectors import (
    AWAITING_MODERATION,
    PUBLIC,
    SPAM_FLAG,
    comment_is_public,
    comment_target,
)
from .xtd import CAN_MODERATE, CommentFlag, XtdComment, XtdCommentsAdmin

# Replace the library's registration with the queue below; its flags are ours to write only.
admin.site.unregister(XtdComment)
if admin.site.is_registered(CommentFlag):
    admin.site.unregister(CommentFlag)


class StatusFilter(admin.SimpleListFilter):
    """The queue opens on what waits; "All" is a choice of its own."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            ("pending", "Awaiting moderation"),
            ("public", "Public"),
            ("spam", f"Spam (what the checks catch is kept {services.SPAM_KEPT_DAYS} days)"),
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
        if self.value() == "spam":
            return queryset.filter(is_removed=True, is_spam=True)
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


def _count(comments):
    """How many of these comments, as a number for each row of the queue."""
    counted = comments.values("email_key").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


@admin.register(XtdComment)
class CommentModerationAdmin(XtdCommentsAdmin):
    # Five columns that fit 1280 px beside the admin's sidebar: no sideways scrolling.
    list_display = ("decide", "whole_comment", "held_because", "author", "post_title")
    list_display_links = None

    class Media:
        css = {"all": ["comments/queue.css"]}
        js = ["comments/queue.js"]

    list_filter = (StatusFilter, HoldRuleFilter, "submit_date")
    readonly_fields = ("held_because", "commenter")
    fieldsets = (
        ("Moderation", {"fields": ("held_because", "commenter", "is_public", "is_removed")}),
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
        post = Post.objects.annotate(pk_text=Cast("pk", CharField())).filter(
            pk_text=OuterRef("object_pk")
        )
        page = Page.objects.annotate(pk_text=Cast("pk", CharField())).filter(
            pk_text=OuterRef("object_pk")
        )
        on_page = Q(content_type=ContentType.objects.get_for_model(Page))

        def on_post_or_page(field, page_value):
            # A comment's "post" is a page for comments on pages (comments.selectors.COMMENTABLE).
            return Case(When(on_page, then=page_value), default=Subquery(post.values(field)[:1]))

        same_commenter = (
            XtdComment.norel_objects.annotate(email_key=Lower("user_email"))
            .filter(email_key=Lower(OuterRef("user_email")))
            .exclude(pk=OuterRef("pk"))
            .order_by()
        )
        trust = CommenterTrust.objects.filter(email=Lower(OuterRef("user_email")))
        # ModelAdmin.get_queryset() orders before we could annotate, so build it here.
        return (
            self.model._default_manager.get_queryset()
            .annotate(
                post_title=on_post_or_page("title", Subquery(page.values("title")[:1])),
                post_slug=on_post_or_page("slug", Subquery(page.values("slug")[:1])),
                post_published_at=on_post_or_page(
                    "published_at", Value(None, output_field=DateTimeField())
                ),
                approved_before=_count(same_commenter.filter(PUBLIC)),
                refused_before=_count(same_commenter.filter(is_removed=True)),
                trust_scope=Subquery(trust.values("scope")[:1]),
                from_trusted_browser=Exists(
                    TrustedBrowser.objects.filter(
                        trust__email=Lower(OuterRef("user_email")),
                        browser=OuterRef("origin__browser"),
                    )
                ),
                # Caught by the checks, or marked by a moderator: either way, spam.
                is_spam=Exists(
                    HoldReason.objects.filter(comment=OuterRef("pk"), rule__in=SPAM_RULES)
                )
                | Exists(CommentFlag.objects.filter(comment=OuterRef("pk"), flag=SPAM_FLAG)),
                queue_position=Case(
                    When(AWAITING_MODERATION, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                ),
            )
            .prefetch_related("hold_reasons")
            .order_by(*self.get_ordering(request))
        )

    def get_urls(self):
        reply = self.admin_site.admin_view(self.reply_view)
        trust = self.admin_site.admin_view(self.trust_view)
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path("<path:object_id>/reply/", reply, name=f"{name}_reply"),
            path("<path:object_id>/trust/", trust, name=f"{name}_trust"),
            *super().get_urls(),
        ]

    def trust_view(self, request, object_id):
        """Trust a comment's author, from a comment's page: from their browsers, or any."""
        if not request.user.has_perm(CAN_MODERATE):
            raise PermissionDenied
        comment = get_object_or_404(self.get_queryset(request), pk=object_id)
        if request.method == "POST":
            any_browser = request.POST.get("scope") == CommenterTrust.Scope.ANY_BROWSER
            services.commenter_trust(
                comment=comment, moderator=request.user, any_browser=any_browser
            )
            self.message_user(request, trusted_message(comment, any_browser=any_browser))
            return HttpResponseRedirect(
                reverse(admin_urlname(self.opts, "change"), args=[comment.pk])
            )
        context = {
            **self.admin_site.each_context(request),
            "title": f"Trust {comment.user_name}",
            "comment": comment,
            "trust": trust_state(comment),
            "has_browser": hasattr(comment, "origin"),
            "scopes": CommenterTrust.Scope,
            "opts": self.opts,
        }
        return TemplateResponse(request, "admin/comments/trust.html", context)

    def reply_view(self, request, object_id):
        """Reply as the blog's author from the queue: a waiting comment is approved with it."""
        if not request.user.has_perm(CAN_MODERATE):
            raise PermissionDenied
        comment = get_object_or_404(XtdComment.norel_objects, pk=object_id)
        post = comment_target(comment, public=False)
        if post is None:
            raise Http404("The comment's post or page is gone.")
        text = request.POST.get("comment", "").strip() if request.method == "POST" else ""
        if text:
            if not comment_is_public(comment):
                services.comments_approve(comments=[comment], moderator=request.user)
            services.comment_reply_as_author(
                comment=comment, post=post, user=request.user, text=text
            )
            self.message_user(request, f"Your reply to {comment.user_name} is published.")
            return HttpResponseRedirect(reverse(admin_urlname(self.opts, "changelist")))
        context = {
            **self.admin_site.each_context(request),
            "title": f"Reply to {comment.user_name}",
            "comment": comment,
            "post": post,
            "opts": self.opts,
            "empty": request.method == "POST",
        }
        return TemplateResponse(request, "admin/comments/reply.html", context)

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST" and "decide" in request.POST:
            return self._decide_one(request)
        services.spam_forget_old()
        since = timezone.localdate() - datetime.timedelta(days=30)
        stopped = (
            BotCount.objects.filter(day__gte=since)
            .values("defence")
            .annotate(total=Sum("count"))
            .order_by("-total")
        )
        labels = dict(BotCheck.choices)
        extra_context = {
            "title": "Comments",
            **(extra_context or {}),
            "bots_stopped": [(labels[row["defence"]], row["total"]) for row in stopped],
        }
        return super().changelist_view(request, extra_context)

    def _decide_one(self, request):
        """The buttons on a row: one click, one decision, back to the same queue."""
        if not request.user.has_perm(CAN_MODERATE):
            raise PermissionDenied
        decision, _, pk = request.POST["decide"].partition(":")
        comment = XtdComment.norel_objects.filter(pk=pk).first() if pk.isdigit() else None
        if decision == "trust" and comment is not None:
            services.commenter_trust(comment=comment, moderator=request.user)
            self.message_user(request, trusted_message(comment, any_browser=False))
            return HttpResponseRedirect(request.get_full_path())
        decide = {
            "approve": services.comments_approve,
            "reject": services.comments_reject,
            "spam": services.comments_mark_spam,
        }.get(decision)
        if decide is None or comment is None:
            return HttpResponseBadRequest("No such decision or comment.")
        decide(comments=[comment], moderator=request.user)
        done = {"approve": "approved", "reject": "removed", "spam": "marked as spam"}[decision]
        self.message_user(request, f"Comment by {comment.user_name} {done}.")
        return HttpResponseRedirect(request.get_full_path())

    @admin.display(description="status")
    def decide(self, obj):
        """The status, one button per decision, and the way to the comment's own page."""
        buttons = [("approve", "Approve"), ("reject", "Reject"), ("spam", "Spam")]
        if comment_is_public(obj):
            buttons = buttons[1:]
        if not is_trusted_here(obj):
            buttons.append(("trust", "Trust"))
        return format_html(
            '<strong>{}</strong><br>{}<br><a class="queue-reply" href="{}">reply</a> · '
            '<a class="queue-details" href="{}">details</a>',
            self.status(obj),
            format_html_join(
                " ",
                '<button type="submit" class="button" name="decide" value="{}:{}">{}</button>',
                ((decision, obj.pk, label) for decision, label in buttons),
            ),
            reverse(admin_urlname(obj._meta, "reply"), args=[obj.pk]),
            reverse(admin_urlname(obj._meta, "change"), args=[obj.pk]),
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
        if obj.is_removed:
            return "spam" if getattr(obj, "is_spam", False) else "removed"
        return "awaiting moderation"

    @admin.display(description="held because")
    def held_because(self, obj):
        return "; ".join(reason.detail for reason in obj.hold_reasons.all()) or "—"

    @admin.display(description="comment")
    def excerpt(self, obj):
        return Truncator(obj.comment).chars(120)

    @admin.display(description="whole comment")
    def whole_comment(self, obj):
        return comment_text(obj.comment)

    @admin.display(description="author")
    def author(self, obj):
        website = (
            format_html(
                '<br><a href="{}" rel="nofollow noopener">{}</a>', obj.user_url, obj.user_url
            )
            if obj.user_url.lower().startswith(("http://", "https://"))
            else ""
        )
        history = f"{obj.approved_before} approved, {obj.refused_before} refused before"
        if obj.ip_address:
            history += f" · from {obj.ip_address}"
        history += f" · {timezone.localtime(obj.submit_date):%b %-d, %Y %H:%M}"
        return format_html(
            '{}<br>{}{}<br><small>{}</small><br>{}',
            obj.user_name, obj.user_email, website, history, self.commenter(obj),
        )  # fmt: skip

    @admin.display(description="commenter")
    def commenter(self, obj):
        """How far their address is trusted, and the way to trust or ban it."""
        state = trust_state(obj)
        listed = (
            reverse("admin:comments_commentertrust_changelist")
            + "?"
            + urlencode({"q": obj.user_email})
        )
        ban = (
            reverse("admin:comments_commenterban_add") + "?" + urlencode({"email": obj.user_email})
        )
        trust = reverse(admin_urlname(obj._meta, "trust"), args=[obj.pk])
        return format_html(
            '<span class="queue-trust-state">{}</span>{} · <a class="queue-trust" href="{}">'
            'trust…</a> · <a class="queue-ban" href="{}">ban</a>',
            state, format_html(' (<a href="{}">see</a>)', listed) if obj.trust_scope else "",
            trust, ban,
        )  # fmt: skip

    @admin.display(description="post", ordering="post_title")
    def post_title(self, obj):
        if obj.post_title is None:
            return "—"
        if obj.post_published_at is None:  # A page's.
            url = reverse("blog:page_detail", kwargs={"slug": obj.post_slug})
        else:
            url = post_path(obj.post_published_at, obj.post_slug)
        return format_html('<a href="{}">{}</a>', url, obj.post_title)

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
