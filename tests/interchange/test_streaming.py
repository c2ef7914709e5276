"""A large export streams: read in flat memory, every entry accounted for, in reasonable time."""

import time
import tracemalloc

import pytest

from blog.models import Post
from interchange.readers import wxr as wxr_reader
from interchange.readers.safexml import Mends

from .conftest import WXR_HEAD, ledger_line, run, wxr_item

POSTS = 20_000


@pytest.fixture(scope="module")
def large_export(tmp_path_factory):
    """A 20,000-post WXR file, written item by item as an exporter would."""
    path = tmp_path_factory.mktemp("large") / "large.wxr.xml"
    body = "A paragraph of an ordinary length, about walking and the weather. " * 12
    with path.open("w") as out:
        out.write(WXR_HEAD)
        for n in range(1, POSTS + 1):
            date = f"20{10 + n % 14:02d}-{1 + n % 12:02d}-{1 + n % 28:02d} 10:00:00"
            out.write(wxr_item(n, date=date, body=body, categories=[("category", "c", "Walks")]))
        out.write("</channel></rss>")
    return path


def peak_while_reading(path, limit):
    """Peak traced memory while reading the first `limit` records of the file."""
    tracemalloc.start()
    try:
        for n, _record in enumerate(wxr_reader.read(path, Mends())):
            if n >= limit:
                break
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_reading_stays_flat_however_long_the_file(large_export):
    size = large_export.stat().st_size
    early = peak_while_reading(large_export, 1_000)
    whole = peak_while_reading(large_export, POSTS + 10)
    assert whole < early * 1.5 + 512 * 1024, (early, whole)
    assert whole < size / 20


def test_twenty_thousand_posts_go_in_with_every_entry_accounted_for(db, large_export):
    started = time.monotonic()
    out = run("import_wordpress", large_export)
    elapsed = time.monotonic() - started
    assert ledger_line(out, "posts") == f"{POSTS} in the file: {POSTS} created"
    assert "MISMATCH" not in out
    assert Post.objects.count() == POSTS
    # Measured: 70 s on PostgreSQL, 128 s on SQLite, on a shared two-core machine under load.
    # Far more means a regression, such as a query that grows with the blog.
    assert elapsed < 300, f"{POSTS} posts took {elapsed:.0f} s"


def test_blogger_comments_wait_for_their_posts_on_disk_not_in_memory():
    """Blogger lists comments apart from their posts, newest first: they are held until every
    post is in, and a blog's worth of comment texts must not be held in memory meanwhile."""
    import datetime as dt

    from interchange.importer import CommentSpool
    from interchange.records import CommentRecord

    text = "A comment of a good length, about walking and the weather. " * 30
    start = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    count = 5_000
    tracemalloc.start()
    try:
        with CommentSpool() as spool:
            for n in range(count):  # Newest first, as Blogger lists them.
                moment = start + dt.timedelta(minutes=count - n)
                spool.add(CommentRecord(original_id=str(n), post_id="1", text=f"{text}{n}",
                                        submitted_at=moment))  # fmt: skip
            held = tracemalloc.get_traced_memory()[0]
            written = [record.original_id for record in spool.in_written_order()]
    finally:
        tracemalloc.stop()
    assert written == [str(n) for n in reversed(range(count))]
    assert held < count * len(text) / 5, held
