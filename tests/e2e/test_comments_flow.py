"""A reader comments and replies, a moderator approves both, the reader sees the thread."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect

from tests.factories import PostFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


@pytest.fixture
def moderator(transactional_db):
    # live_server flushes the database between tests, which drops data made by migrations.
    group, _ = Group.objects.get_or_create(name="Moderators")
    group.permissions.add(
        *Permission.objects.filter(
            codename__in=["can_moderate", "view_xtdcomment", "change_xtdcomment"]
        )
    )
    user = UserFactory(username="mona", is_staff=True, is_superuser=False)
    user.groups.add(group)
    return user


def fill_comment_form(page, text):
    page.get_by_role("textbox", name="Name").fill("Ada Reader")
    page.get_by_role("textbox", name="Email").fill("ada@example.com")
    page.get_by_role("textbox", name="Comment").fill(text)
    page.get_by_role("button", name="Send comment").click()


def test_comment_reply_moderation_and_thread(live_server, page, browser, moderator, settings):
    settings.QUIRE_COMMENTS_MIN_FILL_SECONDS = 0
    post = PostFactory(title="On walking")
    post_url = live_server.url + post.get_absolute_url()

    page.goto(post_url)
    expect(page.locator("#comments-heading")).to_have_text("No comments:")
    fill_comment_form(page, "First thoughts on walking.")
    expect(page.locator(".messages")).to_contain_text("awaiting moderation")

    page.locator(".comment").filter(has_text="First thoughts").get_by_role(
        "link", name="Reply"
    ).click()
    fill_comment_form(page, "And a reply to myself.")
    expect(page.locator(".messages")).to_contain_text("awaiting moderation")

    moderator_page = browser.new_context().new_page()
    moderator_page.goto(live_server.url + "/admin/login/")
    moderator_page.get_by_label("Username").fill("mona")
    moderator_page.get_by_label("Password").fill(PASSWORD)
    moderator_page.get_by_role("button", name="Log in").click()
    moderator_page.goto(live_server.url + "/admin/django_comments_xtd/xtdcomment/")
    expect(moderator_page.locator("#result_list")).to_contain_text("awaiting moderation")
    moderator_page.locator("#action-toggle").check()
    moderator_page.locator("select[name=action]").select_option("approve_comments")
    moderator_page.get_by_role("button", name=re.compile("^Go$|Run")).click()
    expect(moderator_page.locator(".messagelist")).to_contain_text("2 comment(s) approved")
    moderator_page.context.close()

    page.goto(post_url)
    expect(page.locator("#comments-heading")).to_have_text("2 comments:")
    parent = page.locator("#comments > ol.comment-list > li.comment")
    expect(parent).to_have_count(1)
    expect(parent).to_contain_text("First thoughts on walking.")
    expect(parent.locator("ol.comment-list > li.comment")).to_contain_text("And a reply to myself.")
    expect(page.locator(".comment-awaiting-note")).to_have_count(0)
