"""The archive of months, and the year and month pages."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive_posts(post_factory):
    return [
        post_factory(title="October A", published_at=dt.datetime(2024, 10, 2, tzinfo=dt.UTC)),
        post_factory(title="October B", published_at=dt.datetime(2024, 10, 20, tzinfo=dt.UTC)),
        post_factory(title="September", published_at=dt.datetime(2024, 9, 9, tzinfo=dt.UTC)),
        post_factory(title="Last year", published_at=dt.datetime(2023, 5, 1, tzinfo=dt.UTC)),
    ]


def test_archive_lists_months_with_counts(client, archive_posts):
    response = client.get("/archive/")
    assertContains(response, '<a href="/2024/">2024</a>', html=True)
    assertContains(response, '<a href="/2024/10/">October</a> <span class="count">(2)</span>')
    assertContains(response, '<a href="/2024/09/">September</a> <span class="count">(1)</span>')
    assertContains(response, '<a href="/2023/05/">May</a> <span class="count">(1)</span>')


def test_empty_archive(client):
    assertContains(client.get("/archive/"), "Nothing has been published here yet.")


def test_year_archive(client, archive_posts):
    response = client.get("/2024/")
    assertContains(response, "Posts from 2024")
    for title in ("October A", "October B", "September"):
        assertContains(response, title)
    assertNotContains(response, "Last year")
    assertContains(response, '<a rel="prev" href="/2023/">2023 →</a>', html=True)


def test_month_archive(client, archive_posts):
    response = client.get("/2024/10/")
    assertContains(response, "Posts from October 2024")
    assertContains(response, "October A")
    assertContains(response, "October B")
    assertNotContains(response, "September</a>")
    assertContains(response, '<a rel="prev" href="/2024/09/">September 2024 →</a>', html=True)


@pytest.mark.parametrize("url", ["/2022/", "/2024/08/", "/2024/13/", "/2024/9/", "/2024/009/"])
def test_empty_archive_periods_are_404(client, archive_posts, url):
    assert client.get(url).status_code == 404


def test_archive_counts_follow_every_post_write(
    client, archive_posts, post_factory, django_capture_on_commit_callbacks
):
    response = client.get("/archive/")  # Counted, and kept.
    assertContains(response, '<a href="/2024/10/">October</a> <span class="count">(2)</span>')
    with django_capture_on_commit_callbacks(execute=True):
        post_factory(title="October C", published_at=dt.datetime(2024, 10, 30, tzinfo=dt.UTC))
    response = client.get("/archive/")
    assertContains(response, '<a href="/2024/10/">October</a> <span class="count">(3)</span>')
    with django_capture_on_commit_callbacks(execute=True):
        archive_posts[2].delete()
    assertNotContains(client.get("/archive/"), '<a href="/2024/09/">')


def test_a_scheduled_post_joins_the_archive_counts_when_its_time_comes(
    client, archive_posts, post_factory, django_capture_on_commit_callbacks
):
    at = timezone.now() + dt.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        post_factory(title="Tomorrow's", published_at=at)
    month = timezone.localtime(at)
    link = f'<a href="/{month:%Y}/{month:%m}/">{month:%B}</a>'
    with time_machine.travel(at - dt.timedelta(minutes=1)):
        assertNotContains(client.get("/archive/"), link)
    with time_machine.travel(at + dt.timedelta(minutes=1)):
        assertContains(client.get("/archive/"), link)


def test_kept_archive_counts_read_no_posts(client, archive_posts):
    client.get("/archive/")
    with CaptureQueriesContext(connection) as captured:
        assertContains(client.get("/archive/"), "September")
    assert not [query for query in captured if "blog_post" in query["sql"]]


def test_kept_archive_counts_are_this_servers_own_time_zone_and_language(
    client, post_factory, settings
):
    """Two servers on one database with other settings (or one server before and after a
    change of them) never show each other's months."""
    post_factory(title="Late", published_at=dt.datetime(2024, 11, 30, 23, 30, tzinfo=dt.UTC))
    settings.TIME_ZONE = "UTC"
    assertContains(client.get("/archive/"), '<a href="/2024/11/">November</a>')

    settings.TIME_ZONE = "Pacific/Kiritimati"  # UTC+14: already December there.
    response = client.get("/archive/")
    assertContains(response, '<a href="/2024/12/">December</a>')
    assertNotContains(response, "November")

    settings.TIME_ZONE = "UTC"
    settings.LANGUAGE_CODE = "fr"
    assertContains(client.get("/archive/"), '<a href="/2024/11/">novembre</a>')


def test_a_release_counts_the_archive_again(client, archive_posts, monkeypatch):
    """A deploy runs migrate once; its code may count or name months otherwise."""
    from django.core.management import call_command

    from blog import views

    client.get("/archive/")  # Counted, and kept.
    monkeypatch.setattr(views, "archive_months", lambda: [])
    assertContains(client.get("/archive/"), "October")  # Kept: no post was written.
    call_command("migrate", verbosity=0)
    assertContains(client.get("/archive/"), "Nothing has been published here yet.")
