"""A moderator who is not a superuser works the queue with the keyboard, and from the email."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect

from comments.models import HoldReason, HoldRule
from comments.xtd import XtdComment
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
QUEUE = "/admin/django_comments_xtd/xtdcomment/"


@pytest.fixture
def moderator(transactional_db):
    group, _ = Group.objects.get_or_create(name="Moderators")
    group.permissions.add(
        *Permission.objects.filter(
            codename__in=["can_moderate", "view_xtdcomment", "change_xtdcomment"]
        )
    )
    user = UserFactory(username="mona", email="mona@example.com", is_staff=True)
    user.groups.add(group)
    return user


def log_in(page, site):
    page.goto(site + "/admin/login/")
    page.get_by_label("Username").fill("mona")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_twenty_held_comments_cleared_with_the_keyboard_alone(live_server, page, moderator):
    post = PostFactory(title="On walking")
    for n in range(20):
        comment = CommentFactory(post=post, is_public=False, text=f"Held comment number {n}")
        HoldReason.objects.create(
            comment=comment, rule=HoldRule.LINKS, detail=f"{n + 3} links, more than 2"
        )
    log_in(page, live_server.url)
    page.goto(live_server.url + QUEUE)

    for n in range(20):
        row = page.locator("#result_list tr.queue-current")
        expect(row).to_contain_text("Held comment number")
        expect(row).to_contain_text(re.compile(r"\d+ links, more than 2"))
        page.keyboard.press("a" if n % 2 == 0 else "r")
        page.wait_for_load_state("load")

    expect(page.locator("#result_list")).to_have_count(0)  # Nothing waits any more.
    assert XtdComment.objects.filter(is_public=True).count() == 10
    assert XtdComment.objects.filter(is_removed=True).count() == 10


def test_approving_from_the_email_without_logging_in(live_server, page, moderator, mailoutbox):
    from django.core import mail

    post = PostFactory(title="On walking")
    page.goto(live_server.url + post.get_absolute_url())
    page.get_by_role("textbox", name="Name").fill("Ada Reader")
    page.get_by_role("textbox", name="Email").fill("ada@example.com")
    page.get_by_role("textbox", name="Comment").fill("May I come in?")
    page.wait_for_timeout(3100)  # The minimum fill time, as a person takes it.
    page.get_by_role("button", name="Send comment").click()
    expect(page.locator(".messages")).to_contain_text("awaiting moderation")

    (message,) = mail.outbox
    approve = re.search(r"Approve: (\S+)", message.body).group(1)
    reader = page.context.browser.new_context().new_page()  # Not logged in anywhere.
    reader.goto(approve)
    expect(reader.get_by_role("heading")).to_contain_text("Approve this comment?")
    reader.get_by_role("button", name="Approve").click()
    expect(reader.get_by_role("heading")).to_contain_text("Done")

    reader.goto(approve)
    expect(reader.get_by_role("heading")).to_contain_text("Already decided")
    reader.goto(live_server.url + post.get_absolute_url())
    expect(reader.locator(".comment-body")).to_contain_text("May I come in?")


def test_rescuing_a_false_positive_from_the_spam_folder(live_server, page, moderator, settings):
    settings.QUIRE_COMMENTS_SPAM_WORDS = ["pills"]
    post = PostFactory(title="On walking")
    page.goto(live_server.url + post.get_absolute_url())
    page.get_by_role("textbox", name="Name").fill("Ada Reader")
    page.get_by_role("textbox", name="Email").fill("ada@example.com")
    page.get_by_role("textbox", name="Comment").fill("Walking beats sleeping pills for me.")
    page.wait_for_timeout(3100)
    page.get_by_role("button", name="Send comment").click()
    expect(page.locator(".messages")).to_contain_text("held for a moderator")

    moderator_page = page.context.browser.new_context().new_page()
    log_in(moderator_page, live_server.url)
    moderator_page.goto(live_server.url + QUEUE + "?status=spam")
    row = moderator_page.locator("#result_list tbody tr").first
    expect(row).to_contain_text("matched spam word 'pills'")
    row.get_by_role("button", name="Approve").click()

    moderator_page.goto(live_server.url + post.get_absolute_url())
    expect(moderator_page.locator(".comment-body")).to_contain_text("Walking beats sleeping pills")


def test_trusting_a_reader_with_t_lets_their_next_comment_through(live_server, page, moderator):
    from comments.forms import text_field_name

    post = PostFactory(title="On walking")

    def write(text):
        page.goto(live_server.url + post.get_absolute_url())
        page.get_by_role("textbox", name="Name").fill("Fern")
        page.get_by_role("textbox", name="Email").fill("fern@example.com")
        page.get_by_role("textbox", name="Comment").fill(text)
        page.wait_for_timeout(3100)
        page.get_by_role("button", name="Send comment").click()

    write("A first comment, from my own browser.")
    expect(page.locator(".messages")).to_contain_text("awaiting moderation")
    # The text went under the site's secret name; the honeypot named "comment" stayed empty.
    assert page.locator(f'textarea[name="{text_field_name()}"]').count() == 1

    moderator_page = page.context.browser.new_context().new_page()
    log_in(moderator_page, live_server.url)
    moderator_page.goto(live_server.url + QUEUE)
    expect(moderator_page.locator("#result_list tr.queue-current")).to_contain_text("not trusted")
    moderator_page.keyboard.press("t")
    expect(moderator_page.locator(".messagelist")).to_contain_text("Trusted fern@example.com")

    write("A second one, straight through.")
    expect(page.locator(".messages")).to_contain_text("has been published")
    assert XtdComment.objects.filter(is_public=True).count() == 2
