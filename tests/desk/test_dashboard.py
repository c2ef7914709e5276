"""The admin home says what waits: drafts, scheduled posts, comments to moderate, new comments."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains

from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2024, 10, 23, 12, 0, tzinfo=dt.UTC)
HOME = "/admin/"
# The admin home with every section full, whatever the number of posts and comments: the
# session, the user, the header's count of waiting comments, two for drafts, two for scheduled
# posts, two for comments, one for their posts' titles and the admin's recent actions.
HOME_QUERIES = 11


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def writer(user_factory):
    """Staff who write posts but do not moderate comments."""
    user = user_factory(username="wren", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_post", "change_post", "add_post"])
    )
    return user


def fill_blog(post_factory, *, drafts, scheduled, waiting, public):
    live = post_factory(title="On walking")
    for n in range(drafts):
        post_factory(title=f"Draft {n}", draft=True)
    for n in range(scheduled):
        post_factory(title=f"Later {n}", published_at=NOW + dt.timedelta(days=n + 1))
    for n in range(waiting):
        CommentFactory(post=live, name=f"Waiting {n}", text=f"Held {n}", is_public=False)
    for n in range(public):
        CommentFactory(post=live, name=f"Reader {n}", text=f"Said {n}")
    return live


def section(response, heading_id):
    """The HTML of one section of the dashboard, to look for what it holds."""
    html = response.content.decode()
    start = html.index(f'aria-labelledby="{heading_id}"')
    return html[start : html.index("</section>", start)]


def test_the_author_sees_everything_that_waits(admin_client, post_factory, frozen):
    fill_blog(post_factory, drafts=7, scheduled=2, waiting=3, public=2)

    response = admin_client.get(HOME)

    assertContains(response, "What needs you")
    drafts = section(response, "desk-drafts")
    assert "Drafts (7)" in drafts
    assert drafts.count("<li>") == 5
    assert 'href="/admin/blog/post/?publication=draft">All 7 drafts</a>' in drafts

    scheduled = section(response, "desk-scheduled")
    assert "Times are in Europe/Paris." in scheduled
    # Soonest first, in the blog's zone (Paris is UTC+2 in October).
    first, second = "Thursday, October 24, 2024, 2:00 PM", "Friday, October 25, 2024, 2:00 PM"
    assert scheduled.index("Later 0") < scheduled.index(first) < scheduled.index("Later 1")
    assert scheduled.index(second) > scheduled.index("Later 1")

    waiting = section(response, "desk-waiting")
    assert "Awaiting moderation (3)" in waiting
    assert "Waiting 2" in waiting and "Held 2" in waiting and "On walking" in waiting
    assert "Moderate 3 comments in the queue" in waiting
    assert 'href="/admin/django_comments_xtd/xtdcomment/"' in waiting

    latest = section(response, "desk-latest-comments")
    assert latest.index("Reader 1") < latest.index("Reader 0")
    assert "Waiting" not in latest
    assert "?c=" in latest, "each comment links to where readers see it"


def test_a_moderator_who_does_not_write_sees_only_the_comments(client, moderator, post_factory):
    fill_blog(post_factory, drafts=2, scheduled=1, waiting=1, public=1)
    client.force_login(moderator)

    response = client.get(HOME)

    assertContains(response, "Awaiting moderation (1)")
    assertContains(response, "Latest comments")
    assertNotContains(response, 'id="desk-drafts"')
    assertNotContains(response, 'id="desk-scheduled"')
    assertNotContains(response, "Draft 0")


def test_a_writer_who_does_not_moderate_sees_only_the_posts(client, writer, post_factory):
    fill_blog(post_factory, drafts=1, scheduled=1, waiting=1, public=1)
    client.force_login(writer)

    response = client.get(HOME)

    assertContains(response, "Drafts (1)")
    assertContains(response, 'id="desk-scheduled"')
    assertNotContains(response, 'id="desk-waiting"')
    assertNotContains(response, "Latest comments")
    assertNotContains(response, "Held 0")


def test_staff_with_no_part_in_either_see_no_dashboard(client, user_factory, post_factory):
    fill_blog(post_factory, drafts=1, scheduled=1, waiting=1, public=1)
    client.force_login(user_factory(username="clerk", is_staff=True))

    response = client.get(HOME)

    assert response.status_code == 200
    assertNotContains(response, "What needs you")
    assertNotContains(response, "Draft 0")


def test_an_empty_blog_reads_well(admin_client):
    response = admin_client.get(HOME)

    assertContains(response, "No drafts: nothing half-written is waiting.")
    assertContains(response, '<a href="/admin/blog/post/add/">Start a post</a>', html=True)
    assertContains(response, "Nothing is scheduled.")
    assertContains(response, "No comments are waiting for a moderator.")
    assertContains(response, "No comments yet")
    assertNotContains(response, "Drafts (0)")


def test_a_draft_dated_in_the_future_is_flagged(admin_client, post_factory, frozen):
    post_factory(title="Planned", draft=True, published_at=NOW + dt.timedelta(days=1))

    drafts = section(admin_client.get(HOME), "desk-drafts")

    assert "This draft will not appear on Thursday, October 24, 2024, 2:00 PM" in drafts


def test_comment_text_is_escaped_and_cut_short(admin_client, post_factory):
    live = post_factory(title="<b>Bold</b> title")
    CommentFactory(post=live, name="<script>x()</script>", text="<img src=x onerror=alert(1)>")
    CommentFactory(post=live, name="Long", text="Ünïcode " + "word " * 200)

    response = admin_client.get(HOME)

    html = response.content.decode()
    assert "<script>x()</script>" not in html
    assert "<img src=x" not in html
    assert "&lt;b&gt;Bold&lt;/b&gt; title" in html
    latest = section(response, "desk-latest-comments")
    assert "Ünïcode word" in latest
    assert "word " * 40 not in latest


def test_the_dashboard_has_no_inline_style_or_script(admin_client, post_factory):
    fill_blog(post_factory, drafts=1, scheduled=1, waiting=1, public=1)

    response = admin_client.get(HOME)

    html = response.content.decode()
    dashboard = html[html.index('class="desk-dashboard"') : html.index('id="content-related"')]
    assert "style=" not in dashboard and "<script" not in dashboard
    assertContains(response, 'href="/static/desk/dashboard.css"')


def home_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(HOME).status_code == 200
    return len(queries)


def test_the_dashboard_reads_a_fixed_number_of_queries(
    admin_client, post_factory, django_assert_max_num_queries
):
    fill_blog(post_factory, drafts=2, scheduled=2, waiting=2, public=2)
    admin_client.get(HOME)  # The first request after the factories announces their posts.
    few = home_queries(admin_client)
    fill_blog(post_factory, drafts=20, scheduled=15, waiting=12, public=12)
    admin_client.get(HOME)

    with django_assert_max_num_queries(HOME_QUERIES):
        admin_client.get(HOME)
    assert home_queries(admin_client) == few


def test_the_header_and_the_dashboard_count_waiting_comments_once(admin_client, post_factory):
    fill_blog(post_factory, drafts=0, scheduled=0, waiting=2, public=0)

    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(HOME)

    assertContains(response, "2 comments awaiting moderation")
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"] and "django_comments" in q["sql"]]
    assert len(counts) == 1
