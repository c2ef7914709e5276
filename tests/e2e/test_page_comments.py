"""A reader comments on a page in the browser; once approved, every reader sees it there."""

import pytest
from playwright.sync_api import expect

from comments import services
from comments.xtd import XtdComment
from tests.factories import PageFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_reader_comments_on_a_page(live_server, page, settings):
    settings.QUIRE_COMMENTS_MIN_FILL_SECONDS = 0
    about = PageFactory(title="Guestbook", slug="guestbook", allow_comments=True)

    page.goto(live_server.url + about.get_absolute_url())
    expect(page.locator("#comments-heading")).to_have_text("No comments:")
    page.get_by_role("textbox", name="Name").fill("Ada Reader")
    page.get_by_role("textbox", name="Email").fill("ada@example.com")
    page.get_by_role("textbox", name="Comment").fill("Signing the guestbook.")
    # The cached page's form fetched its fresh fields as the reader wrote.
    expect(page.locator("#comment-form")).to_have_attribute("data-renewed", "true")
    page.get_by_role("button", name="Send comment").click()
    expect(page.locator(".messages")).to_contain_text("awaiting moderation")
    expect(page.locator(".comment-awaiting")).to_contain_text("Signing the guestbook.")

    services.comments_approve(
        comments=XtdComment.objects.all(), moderator=UserFactory(username="mona")
    )
    other = page.context.browser.new_context().new_page()
    other.goto(live_server.url + about.get_absolute_url())
    expect(other.locator("#comments-heading")).to_have_text("1 comment:")
    expect(other.locator(".comment")).to_contain_text("Signing the guestbook.")
    other.context.close()
