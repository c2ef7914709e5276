"""Comments on an old blog's pages move in with their threads, and show on the page."""

from django.test import Client

from blog.models import Page
from comments.xtd import XtdComment

from .conftest import ledger_line, run, takeout, takeout_entry, wxr, wxr_comment, wxr_item


def thread_of(page):
    """(text, parent's text) of each comment on the page, in thread order."""
    comments = XtdComment.objects.filter(
        content_type__model="page", object_pk=str(page.pk)
    ).order_by("thread_id", "order")
    by_pk = {c.pk: c.comment for c in comments}
    return [(c.comment, None if c.parent_id == c.pk else by_pk[c.parent_id]) for c in comments]


def test_a_blogger_pages_comment_thread_shows_on_the_page(db, write_file):
    path = write_file(
        takeout(
            takeout_entry(5, kind="PAGE", title="About", filename="/p/about.html"),
            takeout_entry(6, kind="PAGE", title="Contact", filename="/p/contact.html"),
            # A reply that comes before the comment it answers.
            takeout_entry(12, kind="COMMENT", parent=5, in_reply_to=11, body="Welcome back."),
            takeout_entry(11, kind="COMMENT", parent=5, body="Nice to meet you"),
        ),
        name="feed.atom",
    )
    out = run("import_blogger", path)
    assert "MISMATCH" not in out
    assert ledger_line(out, "comments") == "2 in the file: 2 created"
    about, contact = Page.objects.get(title="About"), Page.objects.get(title="Contact")
    assert about.allow_comments and about.comment_count == 2
    assert not contact.allow_comments  # It had none: it takes none, as a new page.
    assert thread_of(about) == [("Nice to meet you", None), ("Welcome back.", "Nice to meet you")]
    content = Client().get(about.get_absolute_url()).content.decode()
    assert "2 comments:" in content
    assert content.index("Nice to meet you") < content.index("Welcome back.")
    assert "Post a Comment" in content
    assert 'id="comments"' not in Client().get(contact.get_absolute_url()).content.decode()
    # A second run changes nothing.
    assert ledger_line(run("import_blogger", path), "comments") == "2 in the file: 2 unchanged"


def test_a_wordpress_pages_comment_thread_shows_on_the_page(db, write_file):
    thread = wxr_comment(1) + wxr_comment(2, parent=1) + wxr_comment(3, approved="0")
    out = run(
        "import_wordpress",
        write_file(wxr(wxr_item(7, title="Guestbook", slug="guestbook", post_type="page",
                                comments=thread))),
    )  # fmt: skip
    assert "MISMATCH" not in out
    assert ledger_line(out, "comments") == "3 in the file: 3 created"
    page = Page.objects.get()
    assert page.allow_comments and page.comment_count == 2  # The third waits for a moderator.
    assert thread_of(page) == [("Comment 1", None), ("Comment 2", "Comment 1"), ("Comment 3", None)]
    content = Client().get(page.get_absolute_url()).content.decode()
    assert "2 comments:" in content and "Comment 2" in content and "Comment 3" not in content


def test_a_wordpress_page_closed_to_comments_keeps_its_thread_and_no_form(db, write_file):
    item = wxr_item(7, title="Closed", slug="closed", post_type="page", comments=wxr_comment(1))
    run("import_wordpress", write_file(wxr(item.replace(">open<", ">closed<"))))
    page = Page.objects.get()
    assert not page.allow_comments and page.comment_count == 1
    content = Client().get(page.get_absolute_url()).content.decode()
    assert "Comment 1" in content and "Comments are closed for this page." in content
    assert "Post a Comment" not in content
