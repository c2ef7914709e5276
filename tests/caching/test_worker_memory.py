"""What each worker keeps in memory of the pages it served is a copy, never a source of truth:
a change made through another worker (or another server) shows on the next request."""

import datetime as dt

import pytest

from caching import pages
from tests.factories import PostFactory


@pytest.fixture
def post(db):
    return PostFactory(title="A long walk", allow_comments=False)


def rename(post, title, on_commit):
    with on_commit():
        post.title = title
        post.save()


def test_a_hit_comes_from_the_workers_memory_without_asking_the_shared_cache(wsgi, post):
    wsgi.get("/")
    assert wsgi.get("/").is_hit
    pages.page_cache().clear()  # Gone from the shared store, still current: this worker has it.
    served = wsgi.get("/")
    assert served.is_hit and "A long walk" in served.text


def test_a_change_made_through_another_worker_misses_the_copy_kept_here(wsgi, post, on_commit):
    wsgi.get("/")
    assert wsgi.get("/").is_hit
    rename(post, "A longer walk", on_commit)  # Only the shared generation changes.
    served = wsgi.get("/")
    assert not served.is_hit
    assert "A longer walk" in served.text and served.body == wsgi.fresh("/").body


def test_an_old_copy_gives_way_to_the_page_another_worker_stored_since(wsgi, post, on_commit):
    wsgi.get("/")
    assert wsgi.get("/").is_hit
    old_copies = dict(pages.recent_pages.pages)
    rename(post, "A longer walk", on_commit)
    wsgi.get("/")  # "The other worker" renders and stores the new page...
    pages.recent_pages.clear()
    for key, page in old_copies.items():  # ...while this one still holds the old.
        pages.recent_pages.put(key, page)
    served = wsgi.get("/")
    assert served.is_hit and "A longer walk" in served.text


def test_a_page_past_its_time_is_dropped_from_memory(wsgi, post, time_machine):
    time_machine.move_to("2024-11-01 12:00Z")
    PostFactory(title="Soon", published_at=dt.datetime(2024, 11, 1, 12, 5, tzinfo=dt.UTC))
    wsgi.get("/")
    assert wsgi.get("/").is_hit
    time_machine.move_to("2024-11-01 12:06Z")
    served = wsgi.get("/")
    assert not served.is_hit and "Soon" in served.text


def test_memory_is_bounded_and_keeps_the_pages_used_last(settings):
    settings.QUIRE_PAGE_CACHE_MEMORY_MB = 1
    kept = pages.RecentPages()
    page = pages.StoredPage("g", 0.0, 200, (), b"x" * 400_000, '"e"', "")
    for key in ("one", "two", "three"):
        kept.put(key, page)
        kept.get("one")  # The home page, read between every other.
    assert set(kept.pages) == {"one", "three"}
    assert kept.size == 800_000
    kept.put("huge", pages.StoredPage("g", 0.0, 200, (), b"x" * 2_000_000, '"e"', ""))
    assert "huge" not in kept.pages


def test_the_generation_file_is_made_once_by_whoever_comes_first(tmp_path, settings):
    settings.QUIRE_PAGE_CACHE_GENERATION_IN = "file"
    settings.QUIRE_PAGE_CACHE_GENERATION_FILE = str(tmp_path / "db.sqlite3.page-generation")
    first = pages.current_generation()
    file = pages.generation_file()
    file.write("someone-else", only_if_absent=True)  # A second worker racing to make it.
    assert pages.current_generation() == first
    pages.new_generation()
    assert pages.current_generation() not in (first, None)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db.sqlite3.page-generation"]


def test_a_generation_file_that_cannot_be_written_fails_the_checks(settings, tmp_path):
    from django.core.checks import run_checks

    settings.QUIRE_PAGE_CACHE_GENERATION_IN = "file"
    settings.QUIRE_PAGE_CACHE_GENERATION_FILE = str(tmp_path / "missing-folder" / "generation")
    errors = [error for error in run_checks() if error.id == "caching.E001"]
    assert len(errors) == 1 and "missing-folder" in errors[0].msg
    settings.QUIRE_PAGE_CACHE_GENERATION_FILE = str(tmp_path / "generation")
    assert not [error for error in run_checks() if error.id == "caching.E001"]
