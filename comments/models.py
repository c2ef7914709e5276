import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.safestring import mark_safe

from .rendering import comment_text
from .xtd import BlackListedDomain


class CommentHTML(models.Model):
    """A comment's HTML, made when it is saved (a post_save receiver), joined to the thread."""

    # A table of ours one-to-one with the library's comment: its model stays the library's.
    comment = models.OneToOneField(
        "django_comments_xtd.XtdComment",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="stored_html",
    )
    html = models.TextField()

    class Meta:
        verbose_name = "comment HTML"
        verbose_name_plural = "comment HTML"

    def __str__(self):
        return f"HTML of comment {self.comment_id}"


def comment_html_fill(comment):
    """Store the HTML of a comment's text: every save of a comment passes here."""
    html = comment_text(comment.comment)
    if not CommentHTML.objects.filter(comment_id=comment.pk).update(html=html):
        CommentHTML.objects.create(comment_id=comment.pk, html=html)


def comment_html(comment):
    """The stored HTML; rendered now only for a comment saved without signals (a raw update)."""
    try:
        return mark_safe(comment.stored_html.html)  # Made by comment_text, which escapes.
    except CommentHTML.DoesNotExist:
        return comment_text(comment.comment)


class CommentOrigin(models.Model):
    """The browser a comment came from (a digest of its key): what trust is tied to."""

    comment = models.OneToOneField(
        "django_comments_xtd.XtdComment",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="origin",
    )
    browser = models.CharField(max_length=64, db_index=True)

    class Meta:
        verbose_name = "comment origin"

    def __str__(self):
        return f"Origin of comment {self.comment_id}"


class HoldRule(models.TextChoices):
    # Caught as spam: kept out of sight in the spam folder for SPAM_KEPT_DAYS, then deleted.
    SPAM_WORDS = "spam_words", "Spam word"
    KNOWN_SPAMMER = "known_spammer", "Address marked as spam"
    BLOCKED_DOMAIN = "blocked_domain", "Blocked email domain"
    SPAM_FILTER = "spam_filter", "Spam filter"
    SPAM_PATTERN = "spam_pattern", "Moderator's spam pattern"
    # Held for a moderator.
    LINKS = "links", "Too many links"
    BLOCKLIST = "blocklist", "Blocked word"
    OLD_POST = "old_post", "Old post"
    REPLY_TO_WAITING = "reply_to_waiting", "Reply to a waiting comment"
    FIRST_TIME = "first_time", "First comment"
    HOLD_PATTERN = "hold_pattern", "Moderator's hold pattern"


class HoldReason(models.Model):
    """Why a comment waits for a moderator: the rule, and what in the comment set it off."""

    comment = models.ForeignKey(
        "django_comments_xtd.XtdComment", on_delete=models.CASCADE, related_name="hold_reasons"
    )
    rule = models.CharField(max_length=32, choices=HoldRule.choices, db_index=True)
    detail = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.detail


SPAM_RULES = (
    HoldRule.SPAM_WORDS, HoldRule.KNOWN_SPAMMER, HoldRule.BLOCKED_DOMAIN, HoldRule.SPAM_FILTER,
    HoldRule.SPAM_PATTERN,
)  # fmt: skip


class BotCheck(models.TextChoices):
    HONEYPOT = "honeypot", "Filled the hidden field"
    FORGED_FORM = "forged_form", "Forged or expired form"
    TOO_FAST = "too_fast", "Sent faster than anyone can write"
    REPLAY = "replay", "Sent the same form again"
    RATE_LIMIT = "rate_limit", "Too many comments from one address"
    OLD_FORM = "old_form", "Sent the text under the usual name (bot, or an old page)"


class BotCount(models.Model):
    """Bots stopped by the form's checks cost a counter a day, never a row each."""

    day = models.DateField()
    defence = models.CharField(max_length=32, choices=BotCheck.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "defence"], name="one_count_a_day")]

    def __str__(self):
        return f"{self.day}: {self.get_defence_display()} × {self.count}"


class SpamToken(models.Model):
    """How often a word, link host or field value was seen in spam and in good comments.

    In the database, so every app server scores with what every moderator taught it.
    """

    token = models.CharField(max_length=120, unique=True)
    spam = models.PositiveIntegerField(default=0)
    ham = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.token}: {self.spam} spam, {self.ham} good"


class SpamLesson(models.Model):
    """What the filter was taught about one comment, so a changed verdict can be unlearnt."""

    comment = models.OneToOneField(
        "django_comments_xtd.XtdComment", on_delete=models.CASCADE, primary_key=True
    )
    is_spam = models.BooleanField()

    def __str__(self):
        return f"Comment {self.comment_id}: {'spam' if self.is_spam else 'good'}"


class CommentPattern(models.Model):
    """A rule a moderator writes: a regular expression over a comment's name, email, website and
    text that holds the comment for a moderator, or catches it as spam."""

    class Action(models.TextChoices):
        HOLD = "hold", "Hold for a moderator"
        SPAM = "spam", "Catch as spam"

    pattern = models.CharField(
        max_length=300,
        help_text="A Python regular expression, matched without regard to case, e.g. "
        r"<code>\bessay\s+writing\b</code> or <code>@mail\.example$</code>.",
    )
    action = models.CharField(max_length=8, choices=Action.choices, default=Action.HOLD)
    note = models.CharField(max_length=200, blank=True, help_text="Why, for the other moderators.")
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = "comment pattern"

    def __str__(self):
        return f"/{self.pattern}/ ({self.get_action_display().lower()})"

    def clean(self):
        try:
            re.compile(self.pattern, re.IGNORECASE)
        except re.error as error:
            raise ValidationError({"pattern": f"Not a regular expression: {error}."}) from None

    def matches(self, comment):
        fields = (comment.user_name, comment.user_email, comment.user_url, comment.comment)
        expression = re.compile(self.pattern, re.IGNORECASE)
        return any(expression.search(value or "") for value in fields)


class CommenterBan(models.Model):
    """A commenter a moderator banned: their comments are refused, with why, until the ban ends."""

    email = models.EmailField(db_index=True)
    reason = models.CharField(max_length=200, help_text="Shown to them when a comment is refused.")
    expires_at = models.DateTimeField(
        "ends", null=True, blank=True, help_text="Empty: until a moderator lifts it."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "banned commenter"

    def __str__(self):
        return f"{self.email}: {self.reason}"


class CommenterTrust(models.Model):
    """A moderator's word on a commenter's address: their comments skip the queue, from the
    browsers a moderator vouched for or from any, or, once withdrawn, wait again."""

    class Scope(models.TextChoices):
        BROWSERS = "browsers", "From the browsers a moderator approved them from"
        ANY_BROWSER = "any", "From any browser (anyone who types this address)"
        WITHDRAWN = "withdrawn", "Withdrawn: their comments wait, even once approved"

    email = models.EmailField(unique=True)  # Stored in lower case: addresses are compared so.
    scope = models.CharField(
        max_length=12,
        choices=Scope.choices,
        default=Scope.BROWSERS,
        help_text="“Any browser” lets anyone who types this address skip the queue: choose it "
        "only for someone who writes from many devices and whose address is not public.",
    )
    note = models.CharField(max_length=200, blank=True, help_text="Why, for the other moderators.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, editable=False
    )
    updated_at = models.DateTimeField("decided", auto_now=True)

    class Meta:
        ordering = ["email"]
        verbose_name = "trusted commenter"

    def __str__(self):
        return f"{self.email}: {self.get_scope_display()}"

    def save(self, *args, **kwargs):
        self.email = self.email.lower()
        super().save(*args, **kwargs)


class TrustedBrowser(models.Model):
    """A browser (the digest of its key, as CommentOrigin keeps it) a trusted commenter uses."""

    trust = models.ForeignKey(CommenterTrust, on_delete=models.CASCADE, related_name="browsers")
    browser = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["trust", "browser"], name="one_browser_per_trust")
        ]

    def __str__(self):
        return f"A browser of {self.trust.email}"


class BlockedEmailDomain(BlackListedDomain):
    """The library's blocked email domains, named for moderators and kept with their other
    rules: a comment from one of these domains is caught as spam ("email domain … is blocked")."""

    class Meta:
        proxy = True
        ordering = ["domain"]
        verbose_name = "blocked email domain"
