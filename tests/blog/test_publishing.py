"""post_published: once per post, when it becomes public, with no cron and no double send."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from blog import publishing
from blog.models import Post
from blog.services import post_change_status, posts_create_many

pytestmark = pytest.mark.django_db


def test_publish_now_announces_the_post_when_the_save_commits(
    post_factory, announcements, django_capture_on_commit_callbacks
):
    draft = post_factory(draft=True)
    with django_capture_on_commit_callbacks(execute=True):
        draft.save()
    assert announcements == []

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        post_change_status(post=draft, status=Post.Status.PUBLISHED)
        assert announcements == [], "nothing is announced before the commit"
    assert callbacks
    assert announcements == [draft.pk]
    draft.refresh_from_db()
    assert draft.announced_at is not None


def test_saving_a_published_post_again_does_not_announce_it_again(
    post_factory, announcements, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post = post_factory()
    with django_capture_on_commit_callbacks(execute=True):
        post.title = "A better title"
        post.save()
        post_change_status(post=post, status=Post.Status.DRAFT)
        post_change_status(post=post, status=Post.Status.PUBLISHED)
    assert announcements == [post.pk]


def test_a_scheduled_post_is_announced_on_the_first_request_after_its_time(
    client, post_factory, announcements, django_capture_on_commit_callbacks
):
    at = timezone.now() + dt.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        post = post_factory(published_at=at)
    assert announcements == []

    with time_machine.travel(at - dt.timedelta(minutes=1)):
        client.get("/")
    assert announcements == [], "not before its time"

    with time_machine.travel(at + dt.timedelta(minutes=1)):
        response = client.get("/feed/")
        client.get("/")
        client.get("/archive/")
    assert announcements == [post.pk]
    assert post.title in response.content.decode()


def test_no_request_needs_the_database_to_learn_that_nothing_is_due(
    client, post_factory, django_assert_num_queries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_factory(published_at=timezone.now() + dt.timedelta(days=1))
    client.get("/robots.txt")
    with django_assert_num_queries(0):
        client.get("/robots.txt")


def test_two_servers_racing_for_a_due_post_announce_it_once(
    post_factory, announcements, django_capture_on_commit_callbacks
):
    """Server A has read the due posts; server B announces them all before A's UPDATE."""
    at = timezone.now() + dt.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        first, second = post_factory(published_at=at), post_factory(published_at=at)
    interleaved = []

    def run_server_b_first(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("UPDATE") and not interleaved:
            interleaved.append(True)
            publishing.publish_due_posts()
        return execute(sql, params, many, context)

    with time_machine.travel(at + dt.timedelta(seconds=1)):
        with connection.execute_wrapper(run_server_b_first):
            won_by_a = publishing.publish_due_posts()
    assert interleaved
    assert won_by_a == []
    assert sorted(announcements) == sorted([first.pk, second.pk])


def test_a_post_moved_to_a_later_date_after_its_announcement_is_not_announced_twice(
    client, post_factory, announcements, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post = post_factory()
        later = timezone.now() + dt.timedelta(days=3)
        post.published_at = later
        post.save()
    with time_machine.travel(later + dt.timedelta(minutes=1)):
        client.get("/")
        assert publishing.next_due_at() is None, "the due time moved on"
        client.get("/")
    assert announcements == [post.pk]


def test_posts_made_in_bulk_are_not_announced_but_scheduled_ones_are(
    client, author, announcements, django_capture_on_commit_callbacks
):
    now = timezone.now()
    old = Post(
        title="Imported",
        slug="imported",
        author=author,
        body="Old.",
        status=Post.Status.PUBLISHED,
        published_at=now - dt.timedelta(days=400),
    )
    soon = Post(
        title="Soon",
        slug="soon",
        author=author,
        body="Soon.",
        status=Post.Status.PUBLISHED,
        published_at=now + dt.timedelta(hours=2),
    )
    with django_capture_on_commit_callbacks(execute=True):
        posts_create_many(posts=[old, soon])
    client.get("/")
    assert announcements == []
    with time_machine.travel(now + dt.timedelta(hours=3)):
        client.get("/")
    assert announcements == [soon.pk]


def test_a_failing_receiver_costs_the_reader_nothing(
    client, post_factory, django_capture_on_commit_callbacks, caplog
):
    def broken(sender, post, **kwargs):
        raise RuntimeError("mail server down")

    publishing.post_published.connect(broken)
    try:
        at = timezone.now() + dt.timedelta(hours=1)
        with django_capture_on_commit_callbacks(execute=True):
            post = post_factory(published_at=at)
        with time_machine.travel(at + dt.timedelta(minutes=1)):
            response = client.get(post.get_absolute_url())
    finally:
        publishing.post_published.disconnect(broken)
    assert response.status_code == 200
    assert "mail server down" in caplog.text


def test_with_the_schedule_in_files_a_scheduled_post_still_appears_at_its_time(
    client, post_factory, announcements, settings, tmp_path, django_capture_on_commit_callbacks
):
    """SQLite without Redis keeps the schedule in files beside the database (config/settings)."""
    settings.CACHES = {
        **settings.CACHES,
        "schedule": {
            "BACKEND": "caching.backends.FileBasedCache",
            "LOCATION": str(tmp_path / "db.sqlite3.schedule"),
            "TIMEOUT": None,
        },
    }
    later = timezone.now() + dt.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        first = post_factory(title="The later one", published_at=later)
    assert publishing.next_due_at() == later
    sooner = timezone.now() + dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        second = post_factory(title="The sooner one", published_at=sooner)
    assert publishing.next_due_at() == sooner, "a write moves the due time in the files too"

    with time_machine.travel(sooner + dt.timedelta(minutes=1)):
        home = client.get("/").content.decode()
    assert "The sooner one" in home and "The later one" not in home
    assert announcements == [second.pk]
    with time_machine.travel(later + dt.timedelta(minutes=1)):
        assert "The later one" in client.get("/").content.decode()
    assert announcements == [second.pk, first.pk]


def test_a_schedule_folder_that_cannot_be_written_fails_the_release_check_and_is_logged(
    settings, tmp_path, post_factory, caplog, django_capture_on_commit_callbacks
):
    from blog.checks import check_schedule_files

    blocker = tmp_path / "a-file"
    blocker.write_text("")
    files = "caching.backends.FileBasedCache"
    settings.CACHES = {
        **settings.CACHES,
        "schedule": {"BACKEND": files, "LOCATION": str(blocker / "schedule")},
    }
    assert [error.id for error in check_schedule_files(None)] == ["blog.E001"]

    with django_capture_on_commit_callbacks(execute=True):
        post_factory(published_at=timezone.now() + dt.timedelta(hours=1))
    assert any(
        record.levelname == "ERROR" and "schedule's version; it is owed" in record.getMessage()
        for record in caplog.records
    )

    settings.CACHES = {
        **settings.CACHES,
        "schedule": {"BACKEND": files, "LOCATION": str(tmp_path / "not-yet" / "schedule")},
    }
    assert check_schedule_files(None) == [], "a folder not there yet is made on first use"
