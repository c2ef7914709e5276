"""A video from a bare link plays in a real browser under our Content-Security-Policy, and its
link still works where the frame is blocked."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.factories import PostFactory

pytestmark = pytest.mark.e2e

VIDEO = "dQw4w9WgXcQ"
PLAYER = "<!doctype html><html lang='en'><title>Player</title><p>Playing</p></html>"


@pytest.fixture
def post(db):
    return PostFactory(
        title="A talk worth watching",
        body=f"Before the talk.\n\nhttps://youtu.be/{VIDEO}\n\nhttps://vimeo.com/76979871\n\nAfter.",
    )


def csp_violations(page):
    page.evaluate(
        "() => { window.cspViolations = [];"
        " document.addEventListener('securitypolicyviolation',"
        " e => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI)); }"
    )


def test_the_frames_load_from_the_privacy_hosts_the_policy_allows(live_server, page, post):
    requested = []

    def player(route):
        requested.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body=PLAYER)

    page.route("https://www.youtube-nocookie.com/**", player)
    page.route("https://player.vimeo.com/**", player)
    page.on("console", lambda message: requested.append(f"console: {message.text}"))
    page.goto(f"{live_server.url}{post.get_absolute_url()}")
    csp_violations(page)
    frames = page.locator(".embed iframe")
    expect(frames).to_have_count(2)
    frames.first.scroll_into_view_if_needed()
    frames.last.scroll_into_view_if_needed()
    expect(page.frame_locator(".embed iframe").first.get_by_text("Playing")).to_be_visible()
    expect(page.frame_locator(".embed iframe").last.get_by_text("Playing")).to_be_visible()
    assert f"https://www.youtube-nocookie.com/embed/{VIDEO}" in requested
    assert "https://player.vimeo.com/video/76979871?dnt=1" in requested
    assert not any("Content Security Policy" in line for line in requested), requested
    assert page.evaluate("window.cspViolations") == []
    # 16:9 kept by the stylesheet, with no inline style.
    box = frames.first.bounding_box()
    assert abs(box["width"] / box["height"] - 16 / 9) < 0.02
    violations = Axe().run(page).response["violations"]
    assert violations == [], violations


def test_where_frames_are_blocked_the_reader_still_has_the_link(live_server, page, post):
    page.route("https://www.youtube-nocookie.com/**", lambda route: route.abort())
    page.route("https://player.vimeo.com/**", lambda route: route.abort())
    page.goto(f"{live_server.url}{post.get_absolute_url()}")
    link = page.get_by_role("link", name="Watch on YouTube")
    expect(link).to_be_visible()
    expect(link).to_have_attribute("href", f"https://www.youtube.com/watch?v={VIDEO}")
    expect(page.get_by_role("link", name="Watch on Vimeo")).to_be_visible()


def test_a_frame_from_anywhere_else_is_refused_by_the_policy(live_server, page, post):
    page.goto(f"{live_server.url}{post.get_absolute_url()}")
    csp_violations(page)
    page.evaluate(
        "() => { const f = document.createElement('iframe');"
        " f.src = 'https://evil.example/'; document.body.append(f); }"
    )
    page.wait_for_function("window.cspViolations.length > 0")
    assert page.evaluate("window.cspViolations")[0].startswith("frame-src")
