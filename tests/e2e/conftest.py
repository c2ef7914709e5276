"""Browser tests: Debian's Chromium driven by Playwright for Python against live_server."""

import os
import shutil
import time

import pytest
from django.db import OperationalError

CHROMIUM = os.environ.get("QUIRE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM) or shutil.which(CHROMIUM):
        return
    skip = pytest.mark.skip(
        reason=(
            f"no Chromium at {CHROMIUM}: install Debian's browser with "
            "'sudo apt-get install chromium' (or set QUIRE_CHROMIUM to its path) "
            "to run the end-to-end tests"
        )
    )
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by
    # the test itself (fixtures, assertions) are still synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def reader(browser):
    """A second browser of its own, with no cookies of the author's: someone else reading."""
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    yield context.new_page()
    context.close()


def read_when_unlocked(read, seconds=5.0):
    """What read() returns once the live server has stopped writing.

    On SQLite the test and the server share one in-memory database, which refuses a read
    outright ("database table is locked") while the server's thread writes, where a database
    file would wait: a page just closed may still be sending its last request.
    """
    deadline = time.monotonic() + seconds
    while True:
        try:
            return read()
        except OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
