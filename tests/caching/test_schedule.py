"""A scheduled post appears at its time on every page that lists it, with no write and no cron."""

import datetime as dt

import pytest

from tests.factories import PostFactory

NOW = dt.datetime(2024, 10, 23, 9, 0, tzinfo=dt.UTC)
DUE = NOW + dt.timedelta(minutes=10)
HERONS = "/2024/10/herons/"
# What shows the post on each listing: its address, and on the archive its month's count.
LISTINGS = {"/": HERONS, "/tag/walking/": HERONS, "/archive/": "(2)", "/2024/": HERONS,
            "/2024/10/": HERONS, "/feed/": HERONS, "/feed/rss/": HERONS,
            "/tag/walking/feed/": HERONS, "/sitemap.xml": HERONS}  # fmt: skip


@pytest.fixture
def scheduled(db, on_commit, time_machine):
    time_machine.move_to(NOW, tick=False)
    with on_commit():
        PostFactory(title="Already out", published_at=NOW - dt.timedelta(days=1), tags=["walking"])
        return PostFactory(
            title="Herons at dusk", slug="herons", published_at=DUE, tags=["walking"]
        )


@pytest.mark.parametrize(("path", "shown_by"), LISTINGS.items())
def test_a_scheduled_post_appears_at_its_time_through_the_cache(
    wsgi, scheduled, time_machine, path, shown_by
):
    wsgi.get(path)
    time_machine.move_to(DUE - dt.timedelta(seconds=1), tick=False)
    waiting = wsgi.get(path)
    assert waiting.is_hit
    assert shown_by not in waiting.text

    time_machine.move_to(DUE, tick=False)
    due = wsgi.get(path)
    assert due.status == 200
    assert shown_by in due.text
    assert due.body == wsgi.fresh(path).body
    assert wsgi.get(path).is_hit, "the page with the new post is cached in its turn"


def test_the_post_page_appears_at_its_time(wsgi, scheduled, time_machine):
    path = scheduled.get_absolute_url()
    assert wsgi.get(path).status == 404
    time_machine.move_to(DUE, tick=False)
    assert wsgi.get(path).status == 200


def test_a_second_scheduled_post_is_waited_for_in_turn(wsgi, scheduled, time_machine, on_commit):
    later = DUE + dt.timedelta(hours=1)
    with on_commit():
        PostFactory(title="Owls at night", slug="owls", published_at=later)
    time_machine.move_to(DUE, tick=False)
    assert "Herons at dusk" in wsgi.get("/").text
    assert wsgi.get("/").is_hit
    time_machine.move_to(later, tick=False)
    assert "Owls at night" in wsgi.get("/").text


def test_the_footer_year_turns_with_the_new_year(wsgi, db, time_machine, settings):
    """The footer's © year is rendered from the clock: a page from 2024 must not greet 2025."""
    settings.TIME_ZONE = "Europe/Paris"
    PostFactory(title="Already out", published_at=NOW)
    time_machine.move_to(dt.datetime(2024, 12, 31, 22, 59, tzinfo=dt.UTC), tick=False)
    wsgi.get("/")
    assert wsgi.get("/").is_hit
    assert "© 2024" in wsgi.get("/").text
    time_machine.move_to(dt.datetime(2024, 12, 31, 23, 0, 1, tzinfo=dt.UTC), tick=False)
    assert "© 2025" in wsgi.get("/").text  # Midnight in Paris.


def test_a_post_page_drops_its_comment_form_when_comments_close_with_age(
    wsgi, db, on_commit, time_machine, settings
):
    settings.QUIRE_COMMENTS_CLOSE_AFTER_DAYS = 30
    time_machine.move_to(NOW, tick=False)
    with on_commit():
        post = PostFactory(title="Old walk", published_at=NOW - dt.timedelta(days=30, minutes=-5))
    path = post.get_absolute_url()
    assert "Post a Comment" in wsgi.get(path).text
    time_machine.move_to(NOW + dt.timedelta(minutes=4), tick=False)
    assert wsgi.get(path).is_hit

    time_machine.move_to(NOW + dt.timedelta(minutes=5), tick=False)
    closed = wsgi.get(path)
    assert not closed.is_hit
    assert "Post a Comment" not in closed.text
    assert "Comments are closed for this post." in closed.text
