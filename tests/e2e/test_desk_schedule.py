"""An author schedules a post in the admin; it appears on the blog at its time, with no write."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from blog.models import Post
from desk.publication import blog_time
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
TITLE = "Herons at dusk"


def test_author_schedules_a_post_that_then_appears_at_its_time(live_server, page, reader, settings):
    settings.TIME_ZONE = "Europe/Paris"
    UserFactory(username="writer", is_staff=True, is_superuser=True)
    site = live_server.url
    # A few minutes ahead, to the minute the input takes, as the author reads Paris clocks.
    paris_now = timezone.localtime(timezone.now(), ZoneInfo("Europe/Paris"))
    at = (paris_now + dt.timedelta(minutes=3)).replace(second=0, microsecond=0)

    page.goto(f"{site}/admin/login/")
    page.get_by_label("Username").fill("writer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # Nothing waits yet, and the home page says so.
    expect(page.get_by_text("No drafts: nothing half-written is waiting.")).to_be_visible()
    expect(page.get_by_text("Nothing is scheduled.")).to_be_visible()

    page.goto(f"{site}/admin/blog/post/add/")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_body").fill("Grey shapes on the *river*.")
    expect(page.get_by_label("Draft", exact=True)).to_be_checked()
    expect(page.get_by_text("Times are in Europe/Paris")).to_be_visible()

    # "Publish now" needs no date: the field goes while it is chosen, and comes back after.
    time_input = page.get_by_label("Date and time (Europe/Paris)")
    expect(time_input).to_be_visible()
    page.get_by_label("Publish now").check()
    expect(time_input).to_be_hidden()
    # Schedule with no time: the form says what is missing and keeps the text.
    page.get_by_label("Schedule for the date and time below").check()
    page.locator("input[name=_save]").click()
    expect(page.get_by_text("Choose a date and time to schedule for.")).to_be_visible()
    expect(page.locator("#id_title")).to_have_value(TITLE)

    page.get_by_label("Date and time (Europe/Paris)").fill(f"{at:%Y-%m-%dT%H:%M}")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    post = Post.objects.get()
    assert post.published_at == at
    written = post.updated_at
    expect(page.locator("td.field-status_label")).to_have_text(f"Scheduled for {blog_time(at)}")

    # The admin home lists it with its time, in the blog's zone.
    page.goto(f"{site}/admin/")
    scheduled = page.locator("section[aria-labelledby=desk-scheduled]")
    expect(scheduled).to_contain_text(TITLE)
    expect(scheduled).to_contain_text(blog_time(at))
    expect(scheduled).to_contain_text("Times are in Europe/Paris.")

    # A reader sees nothing of it before its time, and the page is cached meanwhile.
    reader.goto(site)
    expect(reader.get_by_role("link", name=TITLE)).to_have_count(0)
    assert reader.request.get(f"{site}{post.get_absolute_url()}").status == 404

    with time_machine.travel(at + dt.timedelta(seconds=5)):
        reader.reload()
        expect(reader.get_by_role("link", name=TITLE, exact=True)).to_be_visible()
        reader.get_by_role("link", name=TITLE, exact=True).click()
        expect(reader).to_have_url(re.compile(rf"/{at:%Y/%m}/herons-at-dusk/$"))
        expect(reader.locator(".post-body em")).to_have_text("river")

        page.goto(f"{site}/admin/blog/post/")
        expect(page.locator("td.field-status_label")).to_have_text("Published")

    post.refresh_from_db()
    assert post.updated_at == written, "no write published it: the clock did"
    assert post.announced_at is not None
