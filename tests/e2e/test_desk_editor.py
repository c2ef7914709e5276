"""The author writes in the Markdown editor of the post form: the preview follows their typing,
shortcuts format the selection, and an image pasted in is described, uploaded and published."""

import base64
import io
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from playwright.sync_api import expect

from blog.models import Image, Post
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e

PASSWORD = "correct horse battery staple"
WIDE = {"width": 1440, "height": 900}
NARROW = {"width": 700, "height": 900}


def png_bytes(width=320, height=200, color=(30, 110, 170)):
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), color).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def writer(db):
    return UserFactory(username="writer", is_staff=True, is_superuser=True)


@pytest.fixture
def desk(browser, live_server, writer):
    """A logged-in author on a wide screen, where writing and preview sit side by side."""
    context = browser.new_context(viewport=WIDE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill("writer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    page.console_errors = errors
    yield page
    context.close()


def open_new_post(page, site):
    page.goto(f"{site}/admin/blog/post/add/")
    expect(page.locator(".desk-editor.is-enhanced")).to_be_visible()
    return page.locator("#id_body"), page.locator(".desk-preview")


def paste_image(page, data, name="image.png", kind="image/png"):
    """What a browser does when the author pastes a screenshot into the textarea."""
    page.locator("#id_body").evaluate(
        """(textarea, [data, name, kind]) => {
            const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], name, { type: kind }));
            const event = new ClipboardEvent("paste", {
                clipboardData: transfer, bubbles: true, cancelable: true,
            });
            textarea.dispatchEvent(event);
        }""",
        [base64.b64encode(data).decode(), name, kind],
    )


def test_the_preview_follows_the_typing(desk, live_server):
    body, preview = open_new_post(desk, live_server.url)
    expect(preview).to_be_visible()
    expect(body).to_be_visible()

    body.click()
    desk.keyboard.type("## Low water\n\nThe *harbour* empties at noon.\n\n- boats\n- gulls")
    expect(preview.locator("h2")).to_have_text("Low water")
    expect(preview.locator("em")).to_have_text("harbour")
    expect(preview.locator("li")).to_have_count(2)

    # Hostile text is shown as the readers' sanitiser leaves it: nothing runs.
    desk.keyboard.type('\n\n<script>document.title = "pwned"</script><b onclick="x()">bold</b>')
    expect(preview.locator("b")).to_have_text("bold")
    assert preview.locator("script").count() == 0
    assert desk.title() != "pwned"
    desk.screenshot(path="/tmp/editor-wide.png")
    assert desk.console_errors == []


def test_the_preview_aligns_and_colours_as_the_public_page_does(desk, live_server):
    body, preview = open_new_post(desk, live_server.url)
    body.fill("| a | b | c |\n|:-|:-:|-:|\n| 1 | 2 | 3 |\n\n```python\nimport math\n```")
    cells = preview.locator("td")
    expect(cells).to_have_count(3)
    aligned = [cell.evaluate("c => getComputedStyle(c).textAlign") for cell in cells.all()]
    assert aligned == ["left", "center", "right"]
    keyword = preview.locator(".highlight .kn")
    expect(keyword).to_have_text("import")
    plain = preview.locator(".highlight pre").evaluate("p => getComputedStyle(p).color")
    assert keyword.evaluate("k => getComputedStyle(k).color") != plain


def select_text(textarea, text):
    textarea.evaluate(
        """(textarea, text) => {
            const start = textarea.value.indexOf(text);
            textarea.focus();
            textarea.setSelectionRange(start, start + text.length);
        }""",
        text,
    )


def test_shortcuts_format_the_selection_and_undo_takes_them_back(desk, live_server):
    body, preview = open_new_post(desk, live_server.url)
    body.click()
    desk.keyboard.type("Tide tables\nThe sea keeps its own appointments.")

    select_text(body, "sea")
    desk.keyboard.press("Control+b")
    expect(body).to_have_value("Tide tables\nThe **sea** keeps its own appointments.")
    expect(preview.locator("strong")).to_have_text("sea")
    desk.keyboard.press("Control+b")  # again: bold comes off
    expect(body).to_have_value("Tide tables\nThe sea keeps its own appointments.")

    select_text(body, "own")
    desk.keyboard.press("Control+i")
    expect(body).to_have_value("Tide tables\nThe sea keeps its *own* appointments.")
    desk.keyboard.press("Control+z")
    expect(body).to_have_value("Tide tables\nThe sea keeps its own appointments.")

    select_text(body, "appointments")
    desk.keyboard.press("Control+k")
    expect(body).to_have_value("Tide tables\nThe sea keeps its own [appointments](url).")
    desk.keyboard.type("https://example.com/tides")  # the url placeholder was selected
    expect(preview.get_by_role("link", name="appointments")).to_have_attribute(
        "href", "https://example.com/tides"
    )

    select_text(body, "keeps")
    desk.keyboard.press("Control+e")
    expect(body).to_have_value(re.compile(r"The sea `keeps` its"))

    select_text(body, "Tide")
    desk.keyboard.press("Control+h")
    expect(preview.locator("h2")).to_have_text("Tide tables")
    desk.keyboard.press("Control+Alt+3")
    expect(preview.locator("h3")).to_have_text("Tide tables")
    assert body.input_value().startswith("### Tide tables\n")

    # A web address pasted over words makes them a link.
    select_text(body, "Tide tables")
    body.evaluate(
        """textarea => {
            const transfer = new DataTransfer();
            transfer.setData("text/plain", "https://example.com/tables");
            textarea.dispatchEvent(new ClipboardEvent("paste", {
                clipboardData: transfer, bubbles: true, cancelable: true,
            }));
        }"""
    )
    expect(body).to_have_value(re.compile(r"^### \[Tide tables\]\(https://example.com/tables\)\n"))
    desk.keyboard.press("Control+z")
    expect(body).to_have_value(re.compile(r"^### Tide tables\n"))

    # The toolbar does the same, from the keyboard: one tab stop, arrows along it.
    toolbar = desk.get_by_role("toolbar", name="Formatting")
    select_text(body, "sea")
    desk.keyboard.press("Shift+Tab")
    expect(toolbar.get_by_role("button", name="Bold")).to_be_focused()
    desk.keyboard.press("ArrowRight")
    expect(toolbar.get_by_role("button", name="Italic")).to_be_focused()
    desk.keyboard.press("Enter")
    expect(body).to_have_value(re.compile(r"The \*sea\* `keeps`"))
    expect(body).to_be_focused()
    desk.keyboard.press("Tab")  # back out of the writing area, and in again: Italic kept its place
    desk.keyboard.press("Shift+Tab")
    desk.keyboard.press("Shift+Tab")
    expect(toolbar.get_by_role("button", name="Italic")).to_be_focused()
    select_text(body, "sea")
    toolbar.get_by_role("button", name="Bold").click()
    expect(body).to_have_value(re.compile(r"The \*\*\*sea\*\*\* `keeps`"))
    assert desk.console_errors == []


def test_a_pasted_image_is_described_uploaded_and_published(desk, live_server, browser):
    site = live_server.url
    body, preview = open_new_post(desk, site)
    desk.locator("#id_title").fill("Low tide")
    body.click()
    desk.keyboard.type("Before the picture.\n\nAfter it.")
    select_text(body, "\nAfter")
    body.evaluate("t => t.setSelectionRange(t.selectionStart, t.selectionStart)")

    paste_image(desk, png_bytes())
    dialog = desk.get_by_role("dialog", name="Describe this image")
    expect(dialog).to_be_visible()
    alt = dialog.get_by_label("Alt text", exact=True)
    expect(alt).to_be_focused()
    dialog.get_by_role("button", name="Upload and insert").click()
    expect(dialog.get_by_role("alert")).to_contain_text("Describe the image")  # required
    alt.fill("Boats resting on the mud at low tide")
    dialog.get_by_role("button", name="Upload and insert").click()
    expect(dialog).to_be_hidden()

    image = Image.objects.get()
    assert image.alt_text == "Boats resting on the mud at low tide"
    expect(body).to_have_value(
        f"Before the picture.\n\n![Boats resting on the mud at low tide]({image.image.url})"
        "\n\nAfter it."
    )
    expect(body).to_be_focused()
    shown = preview.get_by_alt_text("Boats resting on the mud at low tide")
    expect(shown).to_be_visible()
    desk.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=shown.element_handle()
    )

    desk.locator("input[name=_save]").click()
    expect(desk.locator(".messagelist")).to_contain_text("was added successfully")
    post = Post.objects.get()
    desk.locator(f"input[name=_selected_action][value='{post.pk}']").check()
    desk.locator("select[name=action]").select_option("publish")
    desk.get_by_role("button", name="Go").click()
    expect(desk.locator(".messagelist")).to_contain_text("Published 1 post(s).")

    reader = browser.new_context()
    try:
        page = reader.new_page()
        page.goto(f"{site}{Post.objects.get().get_absolute_url()}")
        published = page.locator(".post-body").get_by_alt_text(
            "Boats resting on the mud at low tide"
        )
        expect(published).to_be_visible()
        source = published.evaluate("img => img.currentSrc")
        assert source.startswith(f"{site}/media/"), source
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=published.element_handle()
        )
    finally:
        reader.close()
    assert desk.console_errors == []


def test_an_image_chosen_with_the_button_or_refused_says_why(desk, live_server, tmp_path):
    body, preview = open_new_post(desk, live_server.url)
    not_an_image = tmp_path / "holiday.png"
    not_an_image.write_bytes(b"<?php echo 'hello'; ?>" * 20)

    desk.locator(".desk-editor__file").set_input_files(str(not_an_image))
    dialog = desk.get_by_role("dialog", name="Describe this image")
    dialog.get_by_label("Alt text", exact=True).fill("A beach")
    dialog.get_by_role("button", name="Upload and insert").click()
    expect(dialog.get_by_role("alert")).to_have_text(
        "This file is not an image Quire can read (JPEG, PNG, GIF or WebP)."
    )
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    expect(body).to_have_value("")

    photo = tmp_path / "lighthouse.png"
    photo.write_bytes(png_bytes(color=(220, 220, 210)))
    desk.locator(".desk-editor__file").set_input_files(str(photo))
    dialog.get_by_label("Decorative").check()
    expect(dialog.get_by_label("Alt text", exact=True)).to_be_disabled()
    dialog.get_by_role("button", name="Upload and insert").click()
    expect(dialog).to_be_hidden()
    image = Image.objects.get()
    assert (image.title, image.alt_text) == ("lighthouse", "")
    expect(body).to_have_value(f"![]({image.image.url})\n")
    expect(preview.locator("img")).to_have_attribute("alt", "")


def test_the_library_picker_inserts_an_image_already_uploaded(desk, live_server):
    for title, alt in [("Harbour", "Boats at the quay"), ("Gull", "A gull on a post")]:
        Image.objects.create(
            title=title, alt_text=alt, image=SimpleUploadedFile(f"{title}.png", png_bytes())
        )
    body, preview = open_new_post(desk, live_server.url)

    desk.get_by_role("button", name="Insert an image from the library").click()
    library = desk.get_by_role("dialog", name="Insert an image from the library")
    expect(library.get_by_role("status")).to_have_text("2 images.")
    library.get_by_label("Search by title or alt text").fill("quay")
    expect(library.get_by_role("status")).to_have_text("1 image matching “quay”.")
    library.get_by_role("button", name=re.compile("Harbour")).click()

    describe = desk.get_by_role("dialog", name="Describe this image where it appears")
    expect(describe.get_by_label("Alt text", exact=True)).to_have_value("Boats at the quay")
    describe.get_by_label("Alt text", exact=True).fill("Boats at the quay, [early]")
    describe.get_by_role("button", name="Insert").click()
    url = Image.objects.get(title="Harbour").image.url
    expect(body).to_have_value(f"![Boats at the quay, \\[early\\]]({url})\n")
    expect(preview.get_by_alt_text("Boats at the quay, [early]")).to_be_visible()


def test_on_a_narrow_screen_write_and_preview_take_turns(desk, live_server):
    desk.set_viewport_size(NARROW)
    body, preview = open_new_post(desk, live_server.url)
    body.fill("A *narrow* screen.")
    expect(preview).to_be_hidden()

    desk.get_by_role("button", name="Preview").click()
    expect(preview.locator("em")).to_have_text("narrow")
    expect(body).to_be_hidden()
    expect(desk.get_by_role("button", name="Preview")).to_have_attribute("aria-pressed", "true")

    desk.get_by_role("button", name="Write").click()
    expect(body).to_be_visible()
    expect(body).to_be_focused()


def test_a_value_set_by_another_script_reaches_the_preview(desk, live_server):
    """autosave.js restores a draft by setting the value and sending `input`."""
    body, preview = open_new_post(desk, live_server.url)
    body.evaluate(
        """t => { t.value = "Restored **draft**"; t.dispatchEvent(new Event("input")); }"""
    )
    expect(preview.locator("strong")).to_have_text("draft")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_editor_and_its_dialogs_pass_axe(desk, live_server, scheme):
    desk.emulate_media(color_scheme=scheme)
    Image.objects.create(
        title="Harbour", alt_text="Boats", image=SimpleUploadedFile("h.png", png_bytes())
    )
    body, preview = open_new_post(desk, live_server.url)
    body.fill(
        "## Tide\n\nText with a [link](https://example.com), `code`.\n\n> Quoted\n\n"
        "| Time | Height |\n|---|---|\n| 03:00 | 4.2 m |\n\n```python\nimport math\n```\n"
    )
    expect(preview.locator("h2")).to_have_text("Tide")
    expect(preview.locator("td").first).to_have_text("03:00")
    scope = {"include": [[".desk-editor"]]}
    assert_no_violations(Axe().run(desk, context=scope))

    desk.get_by_role("button", name="Insert an image from the library").click()
    library = desk.get_by_role("dialog", name="Insert an image from the library")
    expect(library.get_by_role("button", name=re.compile("Harbour"))).to_be_visible()
    assert_no_violations(Axe().run(desk, context={"include": [[".desk-dialog--library"]]}))
    library.get_by_role("button", name=re.compile("Harbour")).click()
    expect(desk.locator(".desk-dialog--alt")).to_be_visible()
    assert_no_violations(Axe().run(desk, context={"include": [[".desk-dialog--alt"]]}))

    desk.set_viewport_size(NARROW)
    desk.keyboard.press("Escape")
    assert_no_violations(Axe().run(desk, context=scope))
    desk.get_by_role("button", name="Preview").click()
    assert_no_violations(Axe().run(desk, context=scope))


def assert_no_violations(results):
    violations = results.response["violations"]
    assert violations == [], "\n".join(
        f"{v['id']}: {v['help']} — {[n['target'] for n in v['nodes']]}" for v in violations
    )


def drop_files(page, files):
    """What a browser does when the author drops files from their desktop on the textarea."""
    page.locator("#id_body").evaluate(
        """(textarea, files) => {
            const transfer = new DataTransfer();
            for (const [data, name, kind] of files) {
                const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
                transfer.items.add(new File([bytes], name, { type: kind }));
            }
            for (const type of ["dragenter", "dragover", "drop"]) {
                textarea.dispatchEvent(new DragEvent(type, {
                    dataTransfer: transfer, bubbles: true, cancelable: true,
                }));
            }
        }""",
        [[base64.b64encode(data).decode(), name, kind] for data, name, kind in files],
    )


def test_dropped_images_are_asked_about_one_by_one(desk, live_server):
    body, preview = open_new_post(desk, live_server.url)
    body.fill("Two pictures:")

    drop_files(
        desk,
        [
            (png_bytes(color=(200, 40, 40)), "red.png", "image/png"),
            (b"%PDF-1.4 not a picture", "tides.pdf", "application/pdf"),
            (png_bytes(color=(40, 200, 40)), "green.png", "image/png"),
        ],
    )
    expect(desk.locator(".desk-editor__status")).to_have_text(
        "Only images can be put in a post here: “tides.pdf” is not one (JPEG, PNG, GIF or WebP)."
    )
    dialog = desk.get_by_role("dialog", name="Describe this image")
    expect(dialog).to_contain_text("red.png")
    dialog.get_by_label("Alt text", exact=True).fill("A red square")
    dialog.get_by_label("Alt text", exact=True).press("Enter")
    expect(dialog).to_contain_text("green.png")
    dialog.get_by_label("Alt text", exact=True).fill("A green square")
    dialog.get_by_role("button", name="Upload and insert").click()
    expect(dialog).to_be_hidden()

    red, green = (Image.objects.get(title=name) for name in ("red", "green"))
    expect(body).to_have_value(
        f"Two pictures:\n\n![A red square]({red.image.url})\n\n"
        f"![A green square]({green.image.url})\n"
    )
    expect(preview.locator("img")).to_have_count(2)


def test_without_javascript_the_body_is_a_plain_textarea_that_saves(browser, live_server, writer):
    context = browser.new_context(java_script_enabled=False, viewport=WIDE)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/admin/login/")
        page.get_by_label("Username").fill("writer")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.goto(f"{live_server.url}/admin/blog/post/add/")
        body = page.get_by_role("textbox", name="Body:")
        expect(body).to_be_visible()
        expect(page.get_by_role("toolbar")).to_have_count(0)
        assert body.bounding_box()["height"] > 300, "still a roomy writing area"
        page.locator("#id_title").fill("Plain")
        page.locator("#id_slug").fill("plain")
        body.fill("Written **without** scripts.")
        page.locator("input[name=_save]").click()
        expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    finally:
        context.close()
    assert "<strong>without</strong>" in Post.objects.get().body_html
