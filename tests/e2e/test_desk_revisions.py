"""The author never loses a word, goes back to an older version, and shares a draft."""

import re

import pytest
from playwright.sync_api import expect

from blog.models import Post
from desk.models import PreviewLink, Revision
from tests.e2e.conftest import read_when_unlocked
from tests.factories import PostFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


@pytest.fixture
def writer(transactional_db):
    return UserFactory(username="writer", is_staff=True, is_superuser=True)


def log_in(page, site):
    page.goto(f"{site}/admin/login/")
    page.get_by_label("Username").fill("writer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()


def test_the_author_closes_the_tab_mid_sentence_and_gets_the_text_back(
    live_server, browser, writer
):
    post = PostFactory(title="Harbour notes", body="First light.", author=writer, draft=True)
    site, change = live_server.url, f"{live_server.url}/admin/blog/post/{post.pk}/change/"
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    log_in(page, site)

    page.goto(change)
    body = page.locator("textarea[name=body]")
    body.press("Control+End")
    body.press_sequentially(" The boats went out befo")
    expect(page.locator(".desk-autosave-status")).to_contain_text("Draft autosaved at")
    body.press_sequentially("re dawn, and the gulls")
    page.close()  # Mid-sentence, before any save, before the next autosave.

    stored = read_when_unlocked(lambda: Post.objects.get(pk=post.pk))
    assert stored.body == "First light."  # Readers and the post never saw a word of it.
    autosave = read_when_unlocked(lambda: stored.revisions.get(kind=Revision.Kind.AUTOSAVE))
    assert autosave.body.startswith("First light. The boats went out befo")

    # The same browser opens the post again: every word comes back, once asked for.
    page = context.new_page()
    page.goto(change)
    offer = page.locator(".desk-autosave-offer")
    expect(offer).to_contain_text(re.compile(r"Restore the text you were writing at \d"))
    expect(page.locator("textarea[name=body]")).to_have_value("First light.")
    page.get_by_role("button", name="Restore", exact=True).click()
    expect(offer).to_be_hidden()
    expect(page.locator("textarea[name=body]")).to_have_value(
        "First light. The boats went out before dawn, and the gulls"
    )
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert Post.objects.get(pk=post.pk).body.endswith("and the gulls")
    expect(page.locator(".desk-autosave-offer")).to_be_hidden()  # Saved: nothing to offer.
    context.close()

    # Another computer (or the same one after a crash that lost its storage) has nothing to
    # offer now: the words are saved.
    other = browser.new_context()
    page = other.new_page()
    log_in(page, site)
    page.goto(change)
    expect(page.locator("textarea[name=body]")).to_have_value(re.compile("and the gulls$"))
    expect(page.locator(".desk-autosave-offer")).to_be_hidden()
    other.close()


def test_after_a_crash_another_browser_is_offered_the_servers_autosave(
    live_server, browser, writer
):
    post = PostFactory(title="Rain", body="It rained.", author=writer)
    change = f"{live_server.url}/admin/blog/post/{post.pk}/change/"
    first = browser.new_context()
    page = first.new_page()
    log_in(page, live_server.url)
    page.goto(change)
    page.locator("textarea[name=body]").press("Control+End")
    page.locator("textarea[name=body]").press_sequentially(" All day")
    expect(page.locator(".desk-autosave-status")).to_contain_text("Draft autosaved at")
    first.close()  # The browser is gone, and its storage with it.

    second = browser.new_context()
    page = second.new_page()
    log_in(page, live_server.url)
    page.goto(change)
    expect(page.locator(".desk-autosave-offer")).to_contain_text("Restore the text you were")
    # Discarding throws the server's copy away too (read once the server has answered).
    with page.expect_response(lambda r: r.url.endswith("/autosave/")) as discarded:
        page.get_by_role("button", name="Discard").click()
    assert discarded.value.ok
    expect(page.locator(".desk-autosave-offer")).to_be_hidden()
    expect(page.locator("textarea[name=body]")).to_have_value("It rained.")
    assert not post.revisions.filter(kind=Revision.Kind.AUTOSAVE).exists()
    page.reload()
    expect(page.locator(".desk-autosave-offer")).to_be_hidden()
    second.close()


def test_the_author_restores_an_older_revision_from_the_history(live_server, page, writer):
    post = PostFactory(title="First try", body="A plain opening.", author=writer)
    site, change = live_server.url, f"{live_server.url}/admin/blog/post/{post.pk}/change/"
    log_in(page, site)
    for title, body in [
        ("First try", "A plain opening."),
        ("Second try", "A bolder opening, with gulls."),
    ]:
        page.goto(change)
        page.locator("#id_title").fill(title)
        page.locator("textarea[name=body]").fill(body)
        page.locator("input[name=_continue]").click()
        expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.get_by_role("link", name="History").click()
    rows = page.locator("#revision-list tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Second try")
    expect(rows.first).to_contain_text("Ada Winter")  # who
    # The two newest are compared already: what changed is marked, word by word.
    expect(page.locator(".desk-diff del").first).to_have_text("First")
    expect(page.locator(".desk-diff ins").first).to_have_text("Second")

    rows.nth(1).get_by_role("button", name="Restore this version").click()
    expect(page.locator(".messagelist")).to_contain_text("Restored the words of")
    expect(page.locator("#id_title")).to_have_value("First try")
    expect(page.locator("textarea[name=body]")).to_have_value("A plain opening.")

    # A reader sees the restored words at once.
    reader = page.context.browser.new_context()
    reading = reader.new_page()
    reading.goto(site + Post.objects.get(pk=post.pk).get_absolute_url())
    expect(reading.locator("h1.post-title")).to_have_text("First try")
    reader.close()

    page.get_by_role("link", name="History").click()
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("Restored from")


def test_a_shared_preview_link_works_logged_out_and_stops_when_withdrawn(
    live_server, page, browser, writer
):
    post = PostFactory(title="Not yet public", body="Tell *nobody*.", author=writer, draft=True)
    site = live_server.url
    log_in(page, site)
    page.goto(f"{site}/admin/blog/post/{post.pk}/change/")
    page.get_by_label("Works for").select_option("3")
    page.get_by_role("button", name="Make a preview link").click()
    expect(page.locator(".messagelist")).to_contain_text("Preview link made")
    url = page.locator(".desk-preview-link-url").input_value()
    assert url.startswith(f"{site}/preview/link/")
    assert PreviewLink.objects.get().lifetime.days == 3

    friend = browser.new_context()
    reading = friend.new_page()
    response = reading.goto(url)
    assert response.status == 200
    assert response.headers["cache-control"] == "private, no-store"
    assert response.headers["referrer-policy"] == "no-referrer"
    expect(reading.locator("h1.post-title")).to_have_text("Not yet public")
    expect(reading.locator(".post-body em")).to_have_text("nobody")
    expect(reading.locator(".preview-banner")).to_contain_text("A preview shared by the author")
    expect(reading.locator('meta[name="robots"]')).to_have_attribute("content", "noindex, nofollow")
    assert friend.request.get(f"{site}{post.get_absolute_url()}").status == 404  # Still a draft.

    page.get_by_role("button", name="Withdraw").click()
    expect(page.locator(".messagelist")).to_contain_text("Preview link withdrawn")
    expect(page.locator(".desk-preview-link-url")).to_have_count(0)

    response = reading.goto(url)
    assert response.status == 404
    expect(reading.locator("h1")).to_have_text("This preview link has expired or been withdrawn")
    expect(reading.get_by_text("Tell")).to_have_count(0)
    friend.close()


def test_a_new_post_never_saved_comes_back_from_this_browser(live_server, page, writer):
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/admin/blog/post/add/")
    page.locator("#id_title").fill("Unsaved thoughts")
    page.locator("textarea[name=body]").press_sequentially("Nothing saved yet, and then the power")
    context = page.context
    page.close()

    page = context.new_page()
    page.goto(f"{live_server.url}/admin/blog/post/add/")
    expect(page.locator(".desk-autosave-offer")).to_contain_text("Restore the text you were")
    page.get_by_role("button", name="Restore", exact=True).click()
    expect(page.locator("#id_title")).to_have_value("Unsaved thoughts")
    expect(page.locator("textarea[name=body]")).to_have_value(
        "Nothing saved yet, and then the power"
    )
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    page.goto(f"{live_server.url}/admin/blog/post/add/")
    expect(page.locator("textarea[name=body]")).to_have_value("")
    expect(page.locator(".desk-autosave-offer")).to_be_hidden()  # Saved: nothing to offer.


def test_the_author_previews_a_change_to_a_published_post_then_publishes_it(
    live_server, page, browser, writer
):
    post = PostFactory(title="Live", body="The old ending.", author=writer)
    site = live_server.url
    log_in(page, site)
    page.goto(f"{site}/admin/blog/post/{post.pk}/change/")
    page.locator("textarea[name=body]").fill("A *better* ending.")
    with page.expect_popup() as opened:
        page.get_by_role("button", name="Preview changes").click()
    preview = opened.value
    expect(preview.locator(".preview-banner")).to_contain_text("Preview of changes")
    expect(preview.locator(".post-body em")).to_have_text("better")
    reader = browser.new_context()
    reading = reader.new_page()
    reading.goto(site + post.get_absolute_url())
    expect(reading.locator(".post-body")).to_have_text("The old ending.")  # Not live yet.

    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    reading.reload()
    expect(reading.locator(".post-body em")).to_have_text("better")
    reader.close()
