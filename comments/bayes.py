"""A spam filter that learns from the moderators' decisions: naive Bayes, local, shared.

Every approval teaches it a good comment, every "spam" a bad one (SpamToken, in the database,
so all app servers share it). A new comment's score is the chance it is spam given its most
telling tokens (Robinson's smoothing, Fisher's combination, as SpamBayes does). Until it has
seen QUIRE_SPAM_FILTER_MIN_LESSONS of each kind it gives no score at all.
"""

import math
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import F

from .models import SpamLesson, SpamToken

WORD = re.compile(r"[^\W\d_]{2,30}|\d{3,}", re.UNICODE)
LINK = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
SPAM_DOCS, HAM_DOCS = "__spam_comments__", "__good_comments__"
# Robinson's smoothing: how much a token seen n times is pulled towards "unknown" (0.5).
STRENGTH, UNKNOWN = 1.0, 0.5
MOST_TELLING = 15


def tokens(*, text, name="", email="", url=""):
    """The words, link hosts and field values a comment is judged by, each once."""
    found = {word.lower() for word in WORD.findall(text)}
    for link in LINK.findall(text):
        found.add(f"link:{urlsplit(link).hostname or ''}")
    if LINK.search(text):
        found.add("has:link")
    found.add(f"email-host:{email.rpartition('@')[2].lower()}")
    if url:
        found.add(f"url-host:{urlsplit(url).hostname or ''}")
    found.update(f"name:{word.lower()}" for word in WORD.findall(name))
    return {token[:120] for token in found}


def comment_tokens(comment):
    return tokens(
        text=comment.comment, name=comment.user_name, email=comment.user_email, url=comment.user_url
    )


@transaction.atomic
def learn(*, comment, is_spam):
    """Teach the filter a moderator's verdict; a changed verdict replaces the earlier one."""
    lesson = SpamLesson.objects.select_for_update().filter(comment_id=comment.pk).first()
    if lesson is not None and lesson.is_spam == is_spam:
        return
    learnt = [*comment_tokens(comment), SPAM_DOCS if is_spam else HAM_DOCS]
    if lesson is not None:
        _count(learnt[:-1] + [SPAM_DOCS if lesson.is_spam else HAM_DOCS], lesson.is_spam, -1)
    _count(learnt, is_spam, +1)
    SpamLesson.objects.update_or_create(comment_id=comment.pk, defaults={"is_spam": is_spam})


def _count(names, is_spam, step):
    column = "spam" if is_spam else "ham"
    existing = set(SpamToken.objects.filter(token__in=names).values_list("token", flat=True))
    if step > 0:
        SpamToken.objects.bulk_create(
            [SpamToken(token=name) for name in set(names) - existing], ignore_conflicts=True
        )
    SpamToken.objects.filter(token__in=names).update(**{column: F(column) + step})


def score(**fields):
    """The chance (0 to 1) that a comment with these fields is spam; None while untaught."""
    found = tokens(**fields)
    counts = {
        token: (spam, ham)
        for token, spam, ham in SpamToken.objects.filter(
            token__in=[*found, SPAM_DOCS, HAM_DOCS]
        ).values_list("token", "spam", "ham")
    }
    spam_docs, ham_docs = counts.pop(SPAM_DOCS, (0, 0))[0], counts.pop(HAM_DOCS, (0, 0))[1]
    lessons = settings.QUIRE_SPAM_FILTER_MIN_LESSONS
    if spam_docs < lessons or ham_docs < lessons:
        return None
    probabilities = []
    for spam, ham in counts.values():
        seen = spam + ham
        if not seen:
            continue
        spam_rate, ham_rate = spam / spam_docs, ham / ham_docs
        raw = spam_rate / (spam_rate + ham_rate) if spam_rate + ham_rate else UNKNOWN
        probabilities.append((STRENGTH * UNKNOWN + seen * raw) / (STRENGTH + seen))
    probabilities.sort(key=lambda p: abs(p - UNKNOWN), reverse=True)
    telling = [min(max(p, 0.01), 0.99) for p in probabilities[:MOST_TELLING]]
    if not telling:
        return UNKNOWN
    # Fisher's method on both tails, as SpamBayes combines them.
    spamminess = 1 - _chi2q(-2 * sum(math.log(1 - p) for p in telling), 2 * len(telling))
    hamminess = 1 - _chi2q(-2 * sum(math.log(p) for p in telling), 2 * len(telling))
    return round((1 + spamminess - hamminess) / 2, 3)


def _chi2q(chi2, freedom):
    """P(X >= chi2) for a chi-squared variable with an even number of degrees of freedom."""
    term = total = math.exp(-chi2 / 2)
    for i in range(1, freedom // 2):
        term *= chi2 / 2 / i
        total += term
    return min(total, 1.0)
