"""An author writes and publishes a post in the admin; a reader finds it every way they can."""

import re

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from blog.models import Post
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e

PASSWORD = "correct horse battery staple"
TITLE = "Café at dawn"


@pytest.fixture
def cover_path(tmp_path):
    path = tmp_path / "dawn.jpg"
    Image.new("RGB", (1200, 600), (230, 140, 60)).save(path, format="JPEG")
    return path


def test_author_publishes_a_post_and_a_reader_finds_it(
    live_server, page, reader, browser, cover_path
):
    UserFactory(username="writer", is_staff=True, is_superuser=True)
    site = live_server.url

    # The author logs in and writes a draft with a label and a cover image.
    page.goto(f"{site}/admin/login/")
    page.get_by_label("Username").fill("writer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()

    page.goto(f"{site}/admin/blog/post/add/")
    page.locator("#id_title").press_sequentially(TITLE)
    expect(page.locator("#id_slug")).to_have_value("café-at-dawn")  # prefilled as they type
    page.locator("#id_body").fill("The first light over the *harbour*.\n\nCoffee, then work.")
    page.locator("#id_tags").fill("Mornings")
    page.locator("#id_cover").set_input_files(cover_path)
    page.locator("#id_cover_alt").fill("Orange sky over the water")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    post = Post.objects.get()
    assert post.status == Post.Status.DRAFT
    assert anonymous_status(browser, f"{site}{post.get_absolute_url()}") == 404

    # ...and publishes it with the list's action.
    page.locator(f"input[name=_selected_action][value='{post.pk}']").check()
    page.locator("select[name=action]").select_option("publish")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("Published 1 post(s).")

    # A reader, not logged in, finds it on the home page under today's date header.
    reader.goto(site)
    today = timezone.localtime()
    header = reader.locator("h2.date-header").first
    expect(header).to_have_text(f"{today:%A, %B} {today.day}, {today.year}")
    first_article = reader.locator("article.post-summary").first
    expect(first_article.locator("h3")).to_have_text(TITLE)
    expect(first_article).to_contain_text("No comments")

    # Opens it: the body, the cover (really served, with renditions) and the label.
    first_article.get_by_role("link", name=TITLE, exact=True).click()
    expect(reader).to_have_url(re.compile(r"/\d{4}/\d{2}/caf%C3%A9-at-dawn/$"))
    expect(reader.locator("h1.post-title")).to_have_text(TITLE)
    expect(reader.locator(".post-body em")).to_have_text("harbour")
    cover = reader.get_by_alt_text("Orange sky over the water")
    # The widest rendition is the upload's own 1200 px: never scaled up to 1600.
    expect(cover).to_have_attribute("srcset", re.compile(r"480w.*960w.*1200w\s*$"))
    cover.scroll_into_view_if_needed()
    reader.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=cover.element_handle()
    )

    # Follows its label.
    reader.get_by_role("link", name="Mornings", exact=True).click()
    expect(reader.locator("h1")).to_have_text("Posts labelled “Mornings”")
    expect(reader.get_by_role("link", name=TITLE, exact=True)).to_be_visible()

    # Finds it in search.
    reader.get_by_label("Search the blog").fill("harbour")
    reader.get_by_label("Search the blog").press("Enter")
    expect(reader.locator(".search-summary")).to_have_text("1 result for “harbour”")
    expect(reader.get_by_role("link", name=TITLE, exact=True)).to_be_visible()

    # And in the feed the page advertises.
    feed_href = reader.locator('link[rel=alternate][type="application/atom+xml"]').first
    feed = reader.request.get(f"{site}{feed_href.get_attribute('href')}")
    assert feed.ok
    assert f"<title>{TITLE}</title>" in feed.text()


def anonymous_status(browser, url):
    """Status of a URL as a reader without the author's session gets it."""
    context = browser.new_context()
    try:
        return context.request.get(url).status
    finally:
        context.close()
