"""The spam filter learns from the moderators' decisions, and its score is a reason like any."""

import pytest

from comments import bayes, services
from comments.models import SpamToken
from comments.xtd import XtdComment
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

SPAM = [
    "Cheap replica watches, best prices, order now at https://replica-{n}.example/",
    "Earn money fast from home, click https://earn-{n}.example/ for your bonus",
    "Best replica bags and watches, free shipping https://bags-{n}.example/",
]
GOOD = [
    "I walked this path last autumn; the view from the ridge is worth the climb ({n}).",
    "Thank you for the notes on map reading, my compass finally makes sense ({n}).",
    "Lovely post about the old railway line, we cycled it with the children ({n}).",
]


@pytest.fixture
def taught(post, moderator, settings):
    """Ten of each, decided by a moderator, as the filter needs before it speaks."""
    settings.QUIRE_SPAM_FILTER_MIN_LESSONS = 10
    spam = [CommentFactory(post=post, is_public=False, text=SPAM[n % 3].format(n=n),
                           email=f"bot{n}@spam.example") for n in range(12)]  # fmt: skip
    good = [CommentFactory(post=post, is_public=False, text=GOOD[n % 3].format(n=n),
                           email=f"reader{n}@example.org") for n in range(12)]  # fmt: skip
    services.comments_mark_spam(comments=spam, moderator=moderator)
    services.comments_approve(comments=good, moderator=moderator)


def test_untaught_the_filter_gives_no_score(post):
    assert bayes.score(text="Cheap replica watches", email="a@b.example") is None


def test_taught_it_tells_spam_from_a_good_comment(taught):
    spammy = bayes.score(
        text="replica watches, order now https://x.example/", email="z@spam.example"
    )
    good = bayes.score(
        text="We walked the ridge path with a map and a compass.", email="r@example.org"
    )
    assert spammy > 0.9
    assert good < 0.2


def test_a_high_score_catches_a_comment_as_spam_with_its_reason(taught, post, post_comment):
    post_comment(post, email="new@spam.example", comment="Best replica watches, order now")
    caught = XtdComment.objects.get(comment="Best replica watches, order now")
    assert caught.is_removed and not caught.is_public
    (reason,) = caught.hold_reasons.all()
    assert reason.rule == "spam_filter"
    assert float(reason.detail.removeprefix("spam filter score ")) >= 0.9


def test_a_good_comment_is_not_caught(taught, post, post_comment):
    post_comment(post, email="walker@example.org", comment="The ridge path view made my day.")
    comment = XtdComment.objects.get(comment="The ridge path view made my day.")
    assert not comment.is_removed  # Held as a first comment, perhaps, but not caught.


def test_a_changed_verdict_is_unlearnt(post, moderator):
    comment = CommentFactory(post=post, is_public=False, text="ambiguous words here")
    services.comments_mark_spam(comments=[comment], moderator=moderator)
    assert SpamToken.objects.get(token="ambiguous").spam == 1
    services.comments_approve(comments=[comment], moderator=moderator)
    token = SpamToken.objects.get(token="ambiguous")
    assert (token.spam, token.ham) == (0, 1)
    services.comments_approve(comments=[comment], moderator=moderator)  # Taught once only.
    assert SpamToken.objects.get(token="ambiguous").ham == 1


def test_tokens_take_words_link_hosts_and_fields():
    found = bayes.tokens(
        text="Visit https://Shop.example/x now", name="Bob Seller", email="b@Mail.example",
        url="https://bob.example/",
    )  # fmt: skip
    assert {"visit", "now", "link:shop.example", "has:link", "email-host:mail.example",
            "url-host:bob.example", "name:bob", "name:seller"} <= found  # fmt: skip


def test_the_spam_report_gives_precision_and_recall(taught, settings):
    from io import StringIO

    from django.core.management import call_command

    settings.QUIRE_COMMENTS_SPAM_WORDS = ["replica"]
    out = StringIO()
    call_command("spam_report", stdout=out)
    report = out.getvalue()
    assert "24 judged comments: 12 spam, 12 good." in report
    spam_word = next(line for line in report.splitlines() if line.startswith("spam word"))
    assert spam_word.split()[-4:] == ["8", "0", "100%", "67%"]  # 2 of 3 spam texts say "replica".
