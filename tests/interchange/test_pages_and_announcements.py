"""What an import does with pages, and what it announces: nothing readers of the old blog saw."""

import datetime as dt

from django.test import Client

from blog.models import Page, Post
from blog.publishing import post_published

from .conftest import run, takeout, takeout_entry, wxr, wxr_item


def test_pages_keep_their_dates_and_published_ones_join_the_navigation(db, write_file):
    out = run(
        "import_wordpress",
        write_file(
            wxr(
                wxr_item(
                    1, title="About", slug="about", post_type="page", date="2014-02-03 09:00:00"
                ),
                wxr_item(2, title="Contact", slug="contact", post_type="page"),
                wxr_item(3, title="Hidden", slug="hidden", post_type="page", status="draft"),
            )
        ),
    )
    about, contact, hidden = (Page.objects.get(slug=s) for s in ("about", "contact", "hidden"))
    assert about.created_at == dt.datetime(2014, 2, 3, 9, 0, tzinfo=dt.UTC)
    assert about.show_in_navigation and contact.show_in_navigation
    assert not hidden.show_in_navigation
    assert about.navigation_order < contact.navigation_order  # The file's order.
    assert "2 published page(s) added to the navigation" in out
    home = Client().get("/").content.decode()
    assert 'href="/p/about/"' in home and 'href="/p/contact/"' in home
    assert 'href="/p/hidden/"' not in home


def test_a_later_import_leaves_the_authors_navigation_alone(db, write_file):
    path = write_file(wxr(wxr_item(1, title="About", slug="about", post_type="page")))
    run("import_wordpress", path)
    Page.objects.update(show_in_navigation=False)
    run(
        "import_wordpress",
        write_file(wxr(wxr_item(1, title="About us", slug="about", post_type="page"))),
    )
    page = Page.objects.get()
    assert page.title == "About us" and not page.show_in_navigation


def test_a_draft_published_on_the_old_blog_since_is_not_announced_here(
    db, write_file, django_capture_on_commit_callbacks
):
    announced = []

    def listen(sender, post, **kwargs):
        announced.append(post.title)

    post_published.connect(listen)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            run("import_blogger", write_file(takeout(takeout_entry(1, status="DRAFT"))))
        with django_capture_on_commit_callbacks(execute=True):
            run("import_blogger", write_file(takeout(takeout_entry(1, status="LIVE"))))
        post = Post.objects.get()
        assert post.is_published
        assert post.announced_at == post.published_at
        # A post written here and published now is news, as ever.
        with django_capture_on_commit_callbacks(execute=True):
            fresh = Post.objects.create(
                title="Written here", slug="here", body="Hi.", author=post.author,
                status=Post.Status.PUBLISHED,
            )  # fmt: skip
    finally:
        post_published.disconnect(listen)
    assert announced == [fresh.title]
