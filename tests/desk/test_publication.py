"""The publication control: Draft / Publish now / Schedule / Back-date, in the blog's zone."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.messages import get_messages
from pytest_django.asserts import assertContains, assertNotContains

from blog.models import Post
from blog.services import post_change_status

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
# Wednesday, October 23, 2024, 2:00 PM in Paris (summer time, UTC+2).
NOW = dt.datetime(2024, 10, 23, 12, 0, tzinfo=dt.UTC)
ADD = "/admin/blog/post/add/"
CHANGELIST = "/admin/blog/post/"


def change_url(post):
    return f"/admin/blog/post/{post.pk}/change/"


def post_form(author, **overrides):
    return {
        "title": "Café au lait",
        "slug": "café-au-lait",
        "body": "Milk and *coffee*.",
        "excerpt": "",
        "tags": "",
        "cover_alt": "",
        "author": author.pk,
        "allow_comments": "on",
        "publication": "draft",
        "publication_time": "",
        "addresses-TOTAL_FORMS": "0",
        "addresses-INITIAL_FORMS": "0",
        "addresses-MIN_NUM_FORMS": "0",
        "addresses-MAX_NUM_FORMS": "1000",
        **overrides,
    }


def edit_form(post, **overrides):
    return post_form(post.author, title=post.title, slug=post.slug, body=post.body, **overrides)


def form_errors(response):
    return response.context["adminform"].form.errors


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


# --- The control on the form --------------------------------------------------------------


def test_a_new_post_starts_as_a_draft_with_times_in_the_blogs_zone(admin_client, frozen):
    response = admin_client.get(ADD)

    form = response.context["adminform"].form
    assert form["publication"].value() == "draft"
    assert [label for _, label in form.fields["publication"].choices] == [
        "Draft",
        "Publish now",
        "Schedule for the date and time below",
        "Publish back-dated to the date and time below",
    ]
    assertContains(response, "Date and time (Europe/Paris)")
    assertContains(response, "Times are in Europe/Paris, the blog’s time zone.")
    assertContains(response, 'type="datetime-local" name="publication_time"')
    assertNotContains(response, 'name="status"')
    assertNotContains(response, 'name="published_at_0"')


def test_draft_keeps_the_post_off_the_blog(admin_client, author, client, frozen):
    response = admin_client.post(ADD, post_form(author))

    assert response.status_code == 302, form_errors(response)
    post = Post.objects.get()
    assert post.status == Post.Status.DRAFT
    assert post.published_at == NOW
    client.logout()
    assert client.get(post.get_absolute_url()).status_code == 404


def test_publish_now_makes_the_post_public_at_once(
    admin_client, author, client, frozen, announcements, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(ADD, post_form(author, publication="now"))

    assert response.status_code == 302, form_errors(response)
    post = Post.objects.get()
    assert (post.status, post.published_at) == (Post.Status.PUBLISHED, NOW)
    assert announcements == [post.pk]
    client.logout()
    assertContains(client.get("/"), "Café au lait")


def test_a_scheduled_time_is_read_in_the_blogs_zone_and_shown_back_in_it(admin_client, author):
    with time_machine.travel(NOW, tick=False):
        response = admin_client.post(
            ADD, post_form(author, publication="schedule", publication_time="2024-10-25T09:30")
        )
        assert response.status_code == 302, form_errors(response)
        post = Post.objects.get()
        # 09:30 in Paris in October's summer time is 07:30 UTC.
        assert post.published_at == dt.datetime(2024, 10, 25, 7, 30, tzinfo=dt.UTC)
        assert post.is_scheduled

        page = admin_client.get(change_url(post))
    form = page.context["adminform"].form
    assert form["publication"].value() == "schedule"
    assertContains(page, 'value="2024-10-25T09:30"')
    assertContains(page, "Scheduled for Friday, October 25, 2024, 9:30 AM (Europe/Paris)")

    with time_machine.travel(NOW, tick=False):
        listing = admin_client.get(CHANGELIST)
    assertContains(
        listing,
        '<td class="field-status_label">Scheduled for Friday, October 25, 2024, 9:30 AM</td>',
        html=True,
    )


def test_a_scheduled_post_appears_at_its_time_with_no_write(
    admin_client, author, client, announcements, django_capture_on_commit_callbacks
):
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            ADD, post_form(author, publication="schedule", publication_time="2024-10-23T14:05")
        )
    post = Post.objects.get()
    stored = Post.objects.filter(pk=post.pk).values_list("updated_at", flat=True).get()
    client.logout()

    with time_machine.travel(dt.datetime(2024, 10, 23, 12, 4, 59, tzinfo=dt.UTC), tick=False):
        assertNotContains(client.get("/"), "Café au lait")
        assert client.get(post.get_absolute_url()).status_code == 404
    assert announcements == []

    with time_machine.travel(dt.datetime(2024, 10, 23, 12, 5, 1, tzinfo=dt.UTC), tick=False):
        assertContains(client.get("/"), "Café au lait")
        assert client.get(post.get_absolute_url()).status_code == 200
    assert announcements == [post.pk]
    post.refresh_from_db()
    assert post.updated_at == stored, "nothing wrote the post to publish it"


def test_schedule_without_a_time_asks_for_one(admin_client, author, frozen):
    response = admin_client.post(ADD, post_form(author, publication="schedule"))

    assertContains(response, "Choose a date and time to schedule for.")
    assert not Post.objects.exists()


def test_schedule_for_a_time_passed_asks_whether_to_back_date(admin_client, author, frozen):
    response = admin_client.post(
        ADD, post_form(author, publication="schedule", publication_time="2024-10-23T13:00")
    )

    assertContains(response, "That time has passed (it is now 14:00 in Europe/Paris).")
    assertContains(response, "or “Publish back-dated to the date and time below” to publish")
    assert not Post.objects.exists()


def test_back_dating_publishes_the_post_as_of_then(admin_client, author, client, frozen):
    response = admin_client.post(
        ADD, post_form(author, publication="dated", publication_time="2023-05-01T00:30")
    )

    assert response.status_code == 302, form_errors(response)
    post = Post.objects.get()
    assert post.published_at == dt.datetime(2023, 4, 30, 22, 30, tzinfo=dt.UTC)
    assert post.is_published
    # The blog's month, not UTC's: the address is in May.
    assert post.get_absolute_url() == "/2023/05/caf%C3%A9-au-lait/"
    client.logout()
    assert client.get(post.get_absolute_url()).status_code == 200


def test_back_dating_to_a_time_to_come_points_to_schedule(admin_client, author, frozen):
    response = admin_client.post(
        ADD, post_form(author, publication="dated", publication_time="2024-10-24T09:00")
    )

    assertContains(
        response,
        "That time is still to come: choose “Schedule for the date and time below” to publish",
    )
    assert not Post.objects.exists()


def test_back_dating_without_a_time_asks_for_one(admin_client, author, frozen):
    response = admin_client.post(ADD, post_form(author, publication="dated"))
    assertContains(response, "Choose the date and time the post should be published on.")


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("not a date", "Enter a date and time, such as 2024-10-23 09:00."),
        ("2024-02-30T10:00", "Enter a date and time, such as 2024-10-23 09:00."),
        ("<script>alert(1)</script>", "Enter a date and time, such as 2024-10-23 09:00."),
    ],
)
def test_a_time_that_is_no_time_is_refused(admin_client, author, frozen, typed, problem):
    response = admin_client.post(
        ADD, post_form(author, publication="schedule", publication_time=typed)
    )
    assertContains(response, problem)
    assertNotContains(response, "<script>alert(1)</script>")
    assert not Post.objects.exists()


def test_an_unknown_choice_is_refused(admin_client, author, frozen):
    response = admin_client.post(ADD, post_form(author, publication="published"))
    assert "publication" in form_errors(response)
    assert not Post.objects.exists()


# --- Summer time ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        # The last hour of winter time and the first of summer time, on March 30, 2025.
        ("2025-03-30T01:59", dt.datetime(2025, 3, 30, 0, 59, tzinfo=dt.UTC)),
        ("2025-03-30T03:00", dt.datetime(2025, 3, 30, 1, 0, tzinfo=dt.UTC)),
        # And back on October 26, 2025.
        ("2025-10-26T01:59", dt.datetime(2025, 10, 25, 23, 59, tzinfo=dt.UTC)),
        ("2025-10-26T03:00", dt.datetime(2025, 10, 26, 2, 0, tzinfo=dt.UTC)),
    ],
)
def test_times_either_side_of_a_clock_change_are_stored_right(
    admin_client, author, frozen, typed, stored
):
    response = admin_client.post(
        ADD, post_form(author, publication="schedule", publication_time=typed)
    )
    assert response.status_code == 302, form_errors(response)
    assert Post.objects.get().published_at == stored


def test_a_time_the_clocks_skip_is_refused_with_why(admin_client, author, frozen):
    response = admin_client.post(
        ADD, post_form(author, publication="schedule", publication_time="2025-03-30T02:30")
    )
    assertContains(
        response, "There is no 02:30 on March 30 in Europe/Paris: the clocks go forward then."
    )
    assert not Post.objects.exists()


def test_a_time_the_clocks_repeat_is_refused_with_why(admin_client, author, frozen):
    response = admin_client.post(
        ADD, post_form(author, publication="schedule", publication_time="2025-10-26T02:30")
    )
    assertContains(response, "02:30 comes twice on October 26 in Europe/Paris")
    assert not Post.objects.exists()


# --- Old and future-dated drafts ------------------------------------------------------------


def test_publish_now_on_an_old_draft_publishes_it_now_not_when_it_was_started(
    admin_client, client, post_factory, frozen
):
    started = NOW - dt.timedelta(days=40)
    old_draft = post_factory(title="Started long ago", draft=True, published_at=started)
    post_factory(title="Last week's post", published_at=NOW - dt.timedelta(days=7))

    page = admin_client.get(change_url(old_draft))
    assert page.context["adminform"].form["publication_time"].value() is None
    response = admin_client.post(change_url(old_draft), edit_form(old_draft, publication="now"))

    assert response.status_code == 302, form_errors(response)
    old_draft.refresh_from_db()
    assert old_draft.published_at == NOW
    client.logout()
    home = client.get("/").content.decode()
    assert home.index("Started long ago") < home.index("Last week&#x27;s post")


def test_a_draft_dated_in_the_future_says_it_will_not_appear(admin_client, post_factory, frozen):
    planned = post_factory(draft=True, published_at=NOW + dt.timedelta(days=2))

    page = admin_client.get(change_url(planned))
    notice = (
        "This draft will not appear on Friday, October 25, 2024, 2:00 PM (Europe/Paris) "
        "until you schedule or publish it."
    )
    assertContains(page, notice)
    assertContains(page, 'value="2024-10-25T14:00"')
    assert page.context["adminform"].form["publication"].value() == "draft"

    saved = admin_client.post(
        change_url(planned),
        edit_form(planned, publication="draft", publication_time="2024-10-25T14:00"),
        follow=True,
    )
    assert notice in [str(m) for m in get_messages(saved.wsgi_request)]
    planned.refresh_from_db()
    assert planned.status == Post.Status.DRAFT


def test_saving_a_draft_with_no_date_gives_no_warning(admin_client, author, frozen):
    response = admin_client.post(ADD, post_form(author), follow=True)
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert not any("will not appear" in m for m in messages)


# --- Posts already scheduled or published ---------------------------------------------------


def test_a_published_post_shows_its_date_and_offers_to_unpublish(
    admin_client, client, post_factory, frozen
):
    post = post_factory(title="Live", published_at=dt.datetime(2024, 10, 1, 7, 15, tzinfo=dt.UTC))

    page = admin_client.get(change_url(post))
    form = page.context["adminform"].form
    assert form["publication"].value() == "dated"
    assertContains(page, "Published on Tuesday, October 1, 2024, 9:15 AM (Europe/Paris)")
    assertContains(page, "Unpublish (back to draft)")
    assertContains(page, 'value="2024-10-01T09:15"')

    admin_client.post(change_url(post), edit_form(post, publication="draft"))
    post.refresh_from_db()
    assert post.status == Post.Status.DRAFT
    client.logout()
    assert client.get("/2024/10/" + post.slug + "/").status_code == 404


def test_saving_a_published_post_unchanged_keeps_its_time_to_the_microsecond(
    admin_client, post_factory, frozen
):
    at = dt.datetime(2024, 10, 1, 7, 15, 42, 123456, tzinfo=dt.UTC)
    post = post_factory(published_at=at)

    admin_client.post(
        change_url(post), edit_form(post, publication="dated", publication_time="2024-10-01T09:15")
    )
    post.refresh_from_db()
    assert post.published_at == at


def test_the_date_of_a_published_post_can_be_changed(admin_client, client, post_factory, frozen):
    post = post_factory(slug="moved", published_at=dt.datetime(2024, 10, 1, 7, 0, tzinfo=dt.UTC))

    response = admin_client.post(
        change_url(post), edit_form(post, publication="dated", publication_time="2024-09-15T10:00")
    )
    assert response.status_code == 302, form_errors(response)
    post.refresh_from_db()
    assert post.published_at == dt.datetime(2024, 9, 15, 8, 0, tzinfo=dt.UTC)
    client.logout()
    assert client.get("/2024/10/moved/")["Location"] == "/2024/09/moved/"


def test_a_scheduled_post_whose_time_came_while_the_form_was_open_is_simply_published(
    admin_client, post_factory
):
    with time_machine.travel(NOW, tick=False):
        post = post_factory(published_at=NOW + dt.timedelta(minutes=5))
        admin_client.get(change_url(post))
    with time_machine.travel(NOW + dt.timedelta(minutes=10), tick=False):
        response = admin_client.post(
            change_url(post),
            edit_form(post, publication="schedule", publication_time="2024-10-23T14:05"),
        )
    assert response.status_code == 302, form_errors(response)
    post.refresh_from_db()
    assert post.published_at == NOW + dt.timedelta(minutes=5)
    assert post.status == Post.Status.PUBLISHED


def test_a_scheduled_post_can_go_back_to_draft_or_out_now(admin_client, post_factory, frozen):
    post = post_factory(scheduled=True)
    page = admin_client.get(change_url(post))
    assertContains(page, "Unschedule (back to draft)")
    assertContains(page, "Publish now instead")

    admin_client.post(change_url(post), edit_form(post, publication="now"))
    post.refresh_from_db()
    assert (post.is_published, post.published_at) == (True, NOW)


# --- The changelist -------------------------------------------------------------------------


def test_changelist_filters_drafts_scheduled_and_published(admin_client, post_factory, frozen):
    post_factory(title="Out already")
    post_factory(title="Still a draft", draft=True)
    post_factory(title="Coming soon", scheduled=True)

    for choice, shown in [
        ("draft", "Still a draft"),
        ("scheduled", "Coming soon"),
        ("published", "Out already"),
    ]:
        response = admin_client.get(CHANGELIST, {"publication": choice})
        titles = {p.title for p in response.context["cl"].result_list}
        assert titles == {shown}, choice


def test_the_publish_action_publishes_old_drafts_and_scheduled_posts_now(
    admin_client, post_factory, frozen
):
    old_draft = post_factory(draft=True, published_at=NOW - dt.timedelta(days=40))
    scheduled = post_factory(scheduled=True)
    back_then = NOW - dt.timedelta(days=3)
    live = post_factory(published_at=back_then)

    response = admin_client.post(
        CHANGELIST,
        {"action": "publish", "_selected_action": [old_draft.pk, scheduled.pk, live.pk]},
        follow=True,
    )

    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Published 2 post(s)."]
    for post in (old_draft, scheduled, live):
        post.refresh_from_db()
    assert old_draft.published_at == NOW
    assert scheduled.published_at == NOW
    assert live.published_at == back_then, "a post already public keeps its date"


def test_publishing_now_into_a_month_where_the_slug_is_taken_is_refused_and_said(
    admin_client, post_factory, frozen, client
):
    """Publishing now moves an old draft into this month: another post there has its slug."""
    live = post_factory(title="Image test post", slug="image-test-post", published_at=NOW)
    draft = post_factory(
        title="Image test post, again", slug="image-test-post", draft=True,
        published_at=NOW - dt.timedelta(days=40),
    )  # fmt: skip
    other = post_factory(draft=True, published_at=NOW - dt.timedelta(days=40))

    response = admin_client.post(
        CHANGELIST,
        {"action": "publish", "_selected_action": [draft.pk, other.pk]},
        follow=True,
    )

    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert said[0].startswith("“Image test post, again” not published: Another post published")
    assert said[1] == "Published 1 post(s)."
    draft.refresh_from_db()
    assert draft.status == Post.Status.DRAFT and draft.published_at < NOW
    assert "Image test post</h1>" in client.get(live.get_absolute_url()).content.decode()


# --- The service ----------------------------------------------------------------------------


def test_post_change_status_publishes_at_a_given_time(post_factory, frozen):
    draft = post_factory(draft=True, published_at=NOW - dt.timedelta(days=9))
    later = NOW + dt.timedelta(days=1)

    assert post_change_status(post=draft, status=Post.Status.PUBLISHED, published_at=later)
    draft.refresh_from_db()
    assert (draft.published_at, draft.is_scheduled) == (later, True)


def test_post_change_status_to_draft_keeps_the_date(post_factory, frozen):
    back_then = NOW - dt.timedelta(days=9)
    post = post_factory(published_at=back_then)

    assert post_change_status(post=post, status=Post.Status.DRAFT)
    assert not post_change_status(post=post, status=Post.Status.DRAFT)
    post.refresh_from_db()
    assert (post.status, post.published_at) == (Post.Status.DRAFT, back_then)


def test_the_history_records_a_changed_time_only_when_it_changed(
    admin_client, post_factory, frozen
):
    from django.contrib.admin.models import LogEntry

    post = post_factory(published_at=dt.datetime(2024, 10, 1, 7, 15, tzinfo=dt.UTC))
    admin_client.post(
        change_url(post), edit_form(post, publication="dated", publication_time="2024-10-01T09:15")
    )
    admin_client.post(
        change_url(post), edit_form(post, publication="dated", publication_time="2024-10-02T09:15")
    )
    first, second = LogEntry.objects.order_by("pk")
    assert "Date and time" not in first.get_change_message()
    assert "Date and time" in second.get_change_message()


def test_staff_who_may_only_look_read_where_the_post_stands(client, user_factory, post_factory):
    from django.contrib.auth.models import Permission

    viewer = user_factory(username="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_post"))
    client.force_login(viewer)
    with time_machine.travel(NOW, tick=False):
        post = post_factory(published_at=NOW + dt.timedelta(days=1))
        response = client.get(change_url(post))

    assertContains(
        response,
        '<div class="readonly">Scheduled for Thursday, October 24, 2024, 2:00 PM (Europe/Paris)'
        "</div>",
        html=True,
    )
    assertNotContains(response, 'name="publication"')
