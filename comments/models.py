from django.db import models


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
    # Held for a moderator.
    LINKS = "links", "Too many links"
    BLOCKLIST = "blocklist", "Blocked word"
    OLD_POST = "old_post", "Old post"
    REPLY_TO_WAITING = "reply_to_waiting", "Reply to a waiting comment"
    FIRST_TIME = "first_time", "First comment"


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


SPAM_RULES = (HoldRule.SPAM_WORDS, HoldRule.KNOWN_SPAMMER, HoldRule.BLOCKED_DOMAIN)


class BotCheck(models.TextChoices):
    HONEYPOT = "honeypot", "Filled the hidden field"
    FORGED_FORM = "forged_form", "Forged or expired form"
    TOO_FAST = "too_fast", "Sent faster than anyone can write"
    REPLAY = "replay", "Sent the same form again"
    RATE_LIMIT = "rate_limit", "Too many comments from one address"


class BotCount(models.Model):
    """Bots stopped by the form's checks cost a counter a day, never a row each."""

    day = models.DateField()
    defence = models.CharField(max_length=32, choices=BotCheck.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "defence"], name="one_count_a_day")]

    def __str__(self):
        return f"{self.day}: {self.get_defence_display()} × {self.count}"
