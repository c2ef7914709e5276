"""The reader's pages pass axe-core in light and dark, work from the keyboard, fit a phone
and need no JavaScript."""

import datetime
import re

import factory
import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import CommentFactory, PageFactory, PostFactory

pytestmark = pytest.mark.e2e

BODY = """A morning spent with the *tide tables* and a [harbour map](https://example.com/map).

## What the water did

> The sea keeps its own appointments.

```python
import math


class Tide:
    name = "neap"

    def is_high(self, hour: float) -> bool:
        return math.isclose(hour % 12.4, 3) or "spring" in self.name  # roughly
```

| Time | Height |
| ---- | ------: |
| 03:00 | 4.2 m |

- [x] check the ~~almanac~~ tables
- [ ] pack the boots[^boots]

[^boots]: The old ones, with the split heel.
"""

PAGES = [
    "home",
    "post",
    "tag",
    "archive",
    "month",
    "search",
    "about",
    "not_found",
    "comment_errors",
]
SCHEMES = ["light", "dark"]
PHONE = {"width": 375, "height": 800}


@pytest.fixture
def content(db):
    PostFactory(
        title="The estuary in winter",
        published_at=timezone.now() - datetime.timedelta(days=3),
        tags=["Walking"],
    )
    post = PostFactory(
        title="Reading the tide",
        slug="reading-the-tide",
        body=BODY,
        cover=factory.django.ImageField(width=1200, height=600, color="orange"),
        cover_alt="Low tide over the mud flats",
        tags=["Walking", "Sea"],
    )
    first = CommentFactory(
        post=post,
        name="Hannah Pryce",
        email="hannah@example.com",
        url="https://example.com/hannah",
        text="Do you keep the tables in a notebook?",
        submit_date=timezone.now() - datetime.timedelta(minutes=30),
        ip_address="127.0.0.1",
    )
    CommentFactory(
        post=post,
        parent=first,
        name="Tomás Ruiz",
        email="tomas@example.com",
        text="I print them and fold them into the map.",
        submit_date=timezone.now() - datetime.timedelta(minutes=10),
        ip_address="127.0.0.1",
    )
    # One reader's unbroken line must not widen the page for everyone.
    CommentFactory(
        post=post,
        name="N" * 50,
        email="long@example.com",
        text=f"https://example.com/{'path/' * 54} and {'L' * 200}",
        submit_date=timezone.now() - datetime.timedelta(minutes=5),
        ip_address="127.0.0.1",
    )
    PageFactory(title="About", slug="about", body="Who writes here, and why.")
    return post


def open_page(page, site, name, post):
    """Load one of the reader's pages; the comment form with errors is reached by posting."""
    if name == "comment_errors":
        page.goto(f"{site}{post.get_absolute_url()}")
        # Skip the browser's own checks of the required fields so the server answers.
        page.locator("form.comment-form").evaluate("form => form.noValidate = true")
        page.get_by_role("button", name="Send comment").click()
        expect(page.locator(".comment-form-problem")).to_be_visible()
        # Each error is tied to its field, so a screen reader announces it there.
        comment = page.get_by_label("Comment:", exact=True)
        expect(comment).to_have_attribute("aria-invalid", "true")
        expect(comment).to_have_accessible_description(re.compile("This field is required"))
        return
    path = {
        "home": "/",
        "post": post.get_absolute_url(),
        "tag": "/tag/walking/",
        "archive": "/archive/",
        "month": f"/{timezone.localtime(post.published_at):%Y/%m}/",
        "search": f"/search/?q=tide+{'t' * 190}",
        "about": "/p/about/",
        "not_found": "/no-such-page/",
    }[name]
    response = page.goto(f"{site}{path}")
    assert response.status == (404 if name == "not_found" else 200)


def describe(violations):
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(f"    {node['target']}: {node['failureSummary']}" for node in v["nodes"])
        for v in violations
    )


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_axe_violations_and_fits_a_phone(
    live_server, browser, content, settings, name, scheme
):
    settings.QUIRE_COMMENTS_MIN_FILL_SECONDS = 0
    context = browser.new_context(viewport={"width": 1100, "height": 900}, color_scheme=scheme)
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        open_page(page, live_server.url, name, content)
        if name == "post":
            expect(page.locator(".comment-list .comment-list .comment")).to_have_count(1)
            expect(page.get_by_role("heading", name="Post a Comment")).to_be_visible()
            # Every Reply link says whom it answers, as "Read more" says what it opens.
            expect(page.get_by_role("link", name="Reply to Tomás Ruiz")).to_have_count(1)

        violations = Axe().run(page).response["violations"]
        assert violations == [], f"{name} ({scheme}):\n{describe(violations)}"

        # On a phone the layout reflows (code blocks scroll on their own) and still passes.
        page.set_viewport_size(PHONE)
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1], f"{name} scrolls sideways at 375px: {widths}"
        violations = Axe().run(page).response["violations"]
        assert violations == [], f"{name} ({scheme}, 375px):\n{describe(violations)}"
    finally:
        context.close()


@pytest.mark.parametrize("name", ["home", "post"])
def test_skip_link_is_first_and_moves_focus_to_main(live_server, page, content, name):
    open_page(page, live_server.url, name, content)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_post_reads_and_offers_the_comment_form_without_javascript(
    live_server, browser, content, settings
):
    settings.QUIRE_COMMENTS_MIN_FILL_SECONDS = 0
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}{content.get_absolute_url()}")
        expect(page.locator(".post-body")).to_contain_text("The sea keeps its own appointments.")
        expect(page.get_by_alt_text("Low tide over the mud flats")).to_be_visible()
        expect(page.locator(".comment-body")).to_have_count(3)
        form = page.locator("form.comment-form")
        expect(form.get_by_label("Comment:", exact=True)).to_be_visible()
        expect(form.get_by_label("Name:", exact=True)).to_be_visible()

        # Commenting needs no script either: the form posts and the server answers.
        form.get_by_label("Comment:", exact=True).fill("Thank you for the tables.")
        form.get_by_label("Name:", exact=True).fill("Ines")
        form.get_by_label("Email:", exact=True).fill("ines@example.com")
        form.get_by_role("button", name="Send comment").click()
        expect(page.locator("main h1")).to_be_visible()
        assert page.url != f"{live_server.url}{content.get_absolute_url()}"
    finally:
        context.close()
