from django.conf import settings
from django.core.management.base import BaseCommand

from comments import bayes
from comments.models import SpamLesson
from comments.moderation import link_count, matching_words
from comments.xtd import XtdComment


def rules():
    """Each content rule as the moderator applies it today: name, what it does, a test."""
    return [
        ("too many links", "holds", lambda c: link_count(c.comment) + link_count(c.user_name)
         > settings.QUIRE_COMMENTS_MAX_LINKS),
        ("blocked word", "holds", lambda c: bool(matching_words(
            settings.QUIRE_COMMENTS_BLOCKLIST, c.user_name, c.user_email, c.user_url, c.comment))),
        ("spam word", "catches", lambda c: bool(matching_words(
            settings.QUIRE_COMMENTS_SPAM_WORDS, c.user_name, c.comment))),
        ("spam filter", "catches", lambda c: (bayes.score(
            text=c.comment, name=c.user_name, email=c.user_email, url=c.user_url) or 0)
         >= settings.QUIRE_SPAM_FILTER_THRESHOLD),
    ]  # fmt: skip


class Command(BaseCommand):
    help = (
        "For the comments moderators have judged (approved, or marked as spam), how many each "
        "rule and the filter would catch or hold, right and wrongly: precision and recall."
    )

    def handle(self, *args, **options):
        verdicts = dict(SpamLesson.objects.values_list("comment_id", "is_spam"))
        comments = list(XtdComment.norel_objects.filter(pk__in=verdicts))
        spam_total = sum(verdicts[c.pk] for c in comments)
        good_total = len(comments) - spam_total
        self.stdout.write(
            f"{len(comments)} judged comments: {spam_total} spam, {good_total} good."
            " (The filter is scored on comments it learnt from: its figures are a ceiling.)\n"
        )
        self.stdout.write(f"{'rule':<16}{'does':<9}{'spam hit':>9}{'good hit':>9}"
                          f"{'precision':>11}{'recall':>8}")  # fmt: skip
        for name, does, fires in rules():
            hits = [c for c in comments if fires(c)]
            right = sum(verdicts[c.pk] for c in hits)
            wrong = len(hits) - right
            precision = f"{right / len(hits):.0%}" if hits else "—"
            recall = f"{right / spam_total:.0%}" if spam_total else "—"
            self.stdout.write(f"{name:<16}{does:<9}{right:>9}{wrong:>9}{precision:>11}{recall:>8}")
