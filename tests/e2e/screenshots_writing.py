"""The screenshots of docs/writing.md, taken from the real editor. Not part of the suite (the
name does not start with test_): run it when the editor changes, and look at the images.

    .venv/bin/python -m pytest -p no:cacheprovider tests/e2e/screenshots_writing.py
"""

import base64
import io
from pathlib import Path

import pytest
from PIL import Image as PILImage
from PIL import ImageDraw
from playwright.sync_api import expect

from tests.factories import UserFactory

pytestmark = pytest.mark.e2e

DOCS_IMG = Path(__file__).resolve().parents[2] / "docs" / "img"
BODY = """The tide went out at noon and took the harbour with it.

## What the water left

By two o'clock the boats lay on their sides in the mud, **waiting**, and the gulls walked
between them as if they owned the place.

- the ferry, tied up and leaning
- three dinghies in a row
- one heron, very still

> The sea keeps its own appointments.

"""


def harbour_picture():
    """A small made-up picture: sky, sea and a boat, nothing anyone owns."""
    picture = PILImage.new("RGB", (960, 560))
    draw = ImageDraw.Draw(picture)
    for y in range(560):
        sky = (int(250 - y * 0.12), int(190 - y * 0.05), int(140 + y * 0.12))
        sea = (int(60 + (y - 330) * 0.1), int(110 + (y - 330) * 0.08), 140)
        draw.line([(0, y), (960, y)], fill=sky if y < 330 else sea)
    draw.ellipse([600, 120, 720, 240], fill=(255, 236, 190))
    draw.polygon([(250, 420), (520, 420), (480, 470), (290, 470)], fill=(60, 40, 30))
    draw.line([(385, 420), (385, 260)], fill=(60, 40, 30), width=6)
    draw.polygon([(390, 270), (390, 410), (480, 410)], fill=(240, 235, 225))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def save_small(path, png):
    """Screenshots in a 256-colour palette: a fraction of the size, no visible loss for UI."""
    with PILImage.open(io.BytesIO(png)) as shot:
        shot.convert("RGB").quantize(colors=256, method=PILImage.Quantize.MEDIANCUT).save(
            path, optimize=True
        )


def test_screenshots_of_the_editor(browser, live_server, db):
    UserFactory(username="writer", is_staff=True, is_superuser=True)
    context = browser.new_context(viewport={"width": 1360, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill("writer")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/admin/blog/post/add/")
    page.locator("#id_title").fill("Low water")
    body = page.locator("#id_body")
    body.fill(BODY)
    body.evaluate("t => { t.focus(); t.setSelectionRange(t.value.length, t.value.length); }")

    # The author pastes a picture: the editor asks what it shows.
    body.evaluate(
        """(textarea, data) => {
            const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], "harbour-at-low-tide.png", { type: "image/png" }));
            textarea.dispatchEvent(new ClipboardEvent("paste", {
                clipboardData: transfer, bubbles: true, cancelable: true,
            }));
        }""",
        base64.b64encode(harbour_picture()).decode(),
    )
    dialog = page.locator(".desk-dialog--alt")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Alt text", exact=True).fill(
        "A fishing boat resting on the mud under an evening sky"
    )
    page.wait_for_function("() => document.querySelector('.desk-dialog__image').complete")
    box = dialog.bounding_box()
    save_small(
        DOCS_IMG / "editor-alt-text.png",
        page.screenshot(
            clip={
                "x": box["x"] - 24,
                "y": box["y"] - 24,
                "width": box["width"] + 48,
                "height": box["height"] + 48,
            }
        ),
    )
    dialog.get_by_role("button", name="Upload and insert").click()
    expect(dialog).to_be_hidden()
    preview = page.locator(".desk-preview")
    picture = preview.locator("img")
    expect(picture).to_be_visible()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=picture.element_handle()
    )
    body.evaluate("t => { t.scrollTop = 0; }")
    page.locator(".field-body").scroll_into_view_if_needed()
    save_small(DOCS_IMG / "editor-side-by-side.png", page.locator(".field-body").screenshot())

    # On a phone, writing and preview take turns.
    page.set_viewport_size({"width": 420, "height": 820})
    page.get_by_role("button", name="Preview").click()
    expect(preview.locator("h2")).to_be_visible()
    page.locator(".desk-editor__bar").scroll_into_view_if_needed()
    save_small(DOCS_IMG / "editor-phone-preview.png", page.screenshot())
    context.close()
