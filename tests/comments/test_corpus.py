"""A corpus of bots and people: no bot is ever published, no person is ever turned away.

Held is fine for a person (a moderator will see them); refused is not. The counts are printed
(`pytest -s`) so a change to the rules shows what it moved.
"""

import datetime
import random

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from comments import services
from comments.forms import text_field_name
from comments.xtd import XtdComment
from tests.factories import PostFactory

from .conftest import form_data

pytestmark = pytest.mark.django_db

BOT_KINDS = (
    "honeypot", "too_fast", "replayed", "link_stuffing", "spam_phrase", "forged_trust",
    "no_csrf", "stale_form", "usual_name", "every_field",
)  # fmt: skip
# Bots the hidden fields stop before anything is stored.
TRAPPED_BY_FIELDS = ("honeypot", "usual_name", "every_field")
PEOPLE = 300
HUMAN_TEXTS = (
    "I walked this route last spring and the bridge was closed; is it open again?",
    "Thank you! The part about notebooks made me dig mine out of a drawer.",
    "Très beau texte. Merci pour les photos du port.",
    "Ich habe die Karte ausgedruckt, sie passt genau in die Jackentasche.",
    "This reminded me of https://en.wikipedia.org/wiki/Ordnance_Survey maps.",
    "Two links, both useful: https://example.org/a and https://example.org/b",
    "日本語のコメントです。素敵な記事をありがとう。",
    "Short.",
    "A long one. " * 150,
    "Emoji are people too 🙂🌊🥾",
)


@pytest.fixture
def corpus_settings(settings):
    settings.QUIRE_COMMENTS_MIN_FILL_SECONDS = 3
    settings.QUIRE_COMMENTS_RATE_LIMIT = 10_000
    settings.QUIRE_COMMENTS_MAX_LINKS = 2
    settings.QUIRE_COMMENTS_SPAM_WORDS = ["casino", "viagra", "crypto giveaway"]
    settings.QUIRE_COMMENTS_BLOCKLIST = ["cheap"]


def send(client, post, clock, *, wait=10, usual_name="", **fields):
    """Fetch a fresh form as a browser would, wait `wait` seconds as its writer, and send it.

    `usual_name`: what a bot puts in the field the library calls `comment`, a honeypot here.
    """
    data = form_data(post, **fields)
    data["comment"] = usual_name
    clock.shift(wait)
    return client.post("/comments/post/", data), data


def test_no_bot_is_published_and_no_person_is_refused(corpus_settings, moderator, capsys):
    rng = random.Random(20261202)
    post = PostFactory(title="On walking")
    later = timezone.now() + datetime.timedelta(days=1)
    trusted = Client()
    with time_machine.travel(later, tick=False) as clock:
        # A regular reader a moderator approved once: their browser is trusted from now on.
        send(trusted, post, clock, name="Fern", email="fern@example.com", comment="Hello!")
        services.comments_approve(
            comments=XtdComment.objects.filter(user_email="fern@example.com"), moderator=moderator
        )

        bots = {kind: 0 for kind in BOT_KINDS}
        for n in range(320):
            kind = BOT_KINDS[n % len(BOT_KINDS)]
            bots[kind] += 1
            bot = Client(enforce_csrf_checks=kind == "no_csrf")
            text = f"Great post {n}! Visit my site."
            if kind == "honeypot":
                send(bot, post, clock, comment=text, honeypot="https://spam.example/")
            elif kind == "too_fast":
                send(bot, post, clock, wait=0, comment=text)
            elif kind == "replayed":
                _response, data = send(bot, post, clock, comment=text, email=f"b{n}@spam.example")
                for _ in range(3):
                    bot.post("/comments/post/", data)
            elif kind == "link_stuffing":
                links = " ".join(f"https://spam{n}-{i}.example/" for i in range(rng.randint(3, 12)))
                send(bot, post, clock, comment=f"{text} {links}")
            elif kind == "spam_phrase":
                phrase = rng.choice(["CASINO bonus", "cheap Viagra", "crypto giveaway now"])
                send(bot, post, clock, comment=f"{phrase} {n}")
            elif kind == "forged_trust":  # Fern's address, typed from another browser.
                send(bot, post, clock, name="Fern", email="fern@example.com", comment=text)
            elif kind == "no_csrf":
                send(bot, post, clock, comment=text)
            elif kind == "stale_form":
                send(bot, post, clock, wait=3 * 60 * 60, comment=text)
            elif kind == "usual_name":  # Posts its text where comment forms usually take it.
                data = {**form_data(post), "comment": text}
                del data[text_field_name()]
                clock.shift(10)
                bot.post("/comments/post/", data)
            elif kind == "every_field":  # Fills every field it finds, the hidden ones too.
                send(bot, post, clock, comment=text, usual_name=text)

        refused_people = 0
        for n in range(PEOPLE):
            reader = trusted if n % 10 == 0 else Client()
            text = f"{rng.choice(HUMAN_TEXTS)} ({n})"
            response, _data = send(
                reader, post, clock, wait=rng.randint(8, 900), name=f"Reader {n}",
                email="fern@example.com" if reader is trusted else f"reader{n}@example.org",
                comment=text,
            )  # fmt: skip
            stored = XtdComment.objects.filter(comment=text, is_removed=False).exists()
            refused_people += response.status_code != 302 or not stored

    bot_public = (
        XtdComment.objects.filter(
            is_public=True, is_removed=False, comment__startswith="Great post"
        ).count()
        + XtdComment.objects.filter(
            is_public=True, is_removed=False, comment__iregex=r"casino|viagra|crypto"
        ).count()
    )
    readers = XtdComment.objects.filter(user_name__startswith="Reader")
    people_public = readers.filter(is_public=True).count()
    people_held = readers.filter(is_public=False, is_removed=False).count()
    stored_bots = XtdComment.objects.filter(comment__startswith="Great post").count()
    with capsys.disabled():
        print(
            f"\ncorpus: {sum(bots.values())} bots ("
            + ", ".join(f"{kind} {count}" for kind, count in bots.items())
            + f"): {bot_public} published, {stored_bots} stored (held or in the spam folder); "
            f"{PEOPLE} people: {people_public} published, {people_held} held, "
            f"{refused_people} refused"
        )
    assert bot_public == 0
    trapped = [n for n in range(320) if BOT_KINDS[n % len(BOT_KINDS)] in TRAPPED_BY_FIELDS]
    texts = [f"Great post {n}! Visit my site." for n in trapped]
    assert not XtdComment.objects.filter(comment__in=texts).exists()  # Not even a row.
    assert refused_people == 0
    assert people_public + people_held == PEOPLE
