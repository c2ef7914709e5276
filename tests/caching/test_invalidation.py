"""Every kind of write shows on every page it affects, on the very next request."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.cache import caches
from taggit.models import Tag

from blog.models import Post, PostAddress
from blog.services import post_change_status
from caching import pages
from comments.services import comment_create, comments_approve, comments_reject
from interchange.models import LegacyAddress
from tests.factories import PageFactory, PostFactory, UserFactory

OCT_23 = dt.datetime(2024, 10, 23, 9, 0, tzinfo=dt.UTC)
SEP_10 = dt.datetime(2024, 9, 10, 9, 0, tzinfo=dt.UTC)

PAGES = {
    "home": lambda w: "/",
    "post": lambda w: w.walk.get_absolute_url(),
    "label": lambda w: "/tag/walking/",
    "archive": lambda w: "/archive/",
    "year": lambda w: "/2024/",
    "month": lambda w: "/2024/10/",
    "atom": lambda w: "/feed/",
    "rss": lambda w: "/feed/rss/",
    "label feed": lambda w: "/tag/walking/feed/",
    "sitemap": lambda w: "/sitemap.xml",
    "static page": lambda w: "/p/about/",
    "comments feed": lambda w: "/comments/feed/",
    "post comments feed": lambda w: f"/comments/feed/{w.walk.pk}/",
    "old address": lambda w: "/2010/01/walking.html",
    "wordpress address": lambda w: "/?p=42",
    "imported address": lambda w: "/?p=7",
}
# The home page asked with a WordPress query is answered, never stored (caching.pages.PAGE_QUERIES).
NEVER_STORED = {"wordpress address", "imported address"}


NOW = dt.datetime(2024, 11, 1, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def world(db, on_commit, time_machine):
    """Two public posts, one labelled, a static page, a public comment and a held one."""
    time_machine.move_to(NOW, tick=False)  # Empty feeds say "updated now": keep now still.
    with on_commit():
        author = UserFactory(username="author", first_name="Ada", last_name="Winter")
        # Comments closed: the post page then has no form whose fields a reader could fetch.
        walk = PostFactory(
            title="A long walk", slug="a-long-walk", published_at=OCT_23,
            allow_comments=False, tags=["walking"], author=author,
        )  # fmt: skip
        older = PostFactory(title="Older thoughts", published_at=SEP_10, allow_comments=False)
        draft = PostFactory(
            title="Herons at dusk", slug="herons", published_at=OCT_23 + dt.timedelta(days=2),
            draft=True, allow_comments=False, tags=["walking"],
        )  # fmt: skip
        about = PageFactory(title="About", slug="about", body="Who writes here.")
        # Comments off, as a new page's are: its comment shows, and no form.
        on_about = comment_create(
            post=about, name="Guest", email="g@example.com", text="Nice page."
        )
        comment = comment_create(post=walk, name="Reader", email="r@example.com", text="Lovely.")
        held = comment_create(
            post=walk, name="Shy", email="s@example.com", text="Held back.", is_public=False
        )
        imported = LegacyAddress.objects.create(path="/?p=7", post=older)
    return SimpleNamespace(
        author=author, walk=walk, older=older, draft=draft, about=about,
        comment=comment, held=held, on_about=on_about, imported=imported,
        moderator=UserFactory(username="mona", is_staff=True),
    )  # fmt: skip


def publish_draft(w):
    """Published now (November), not on the day the draft is dated."""
    post_change_status(post=w.draft, status=Post.Status.PUBLISHED)


def publish_draft_back_dated(w):
    post_change_status(
        post=w.draft, status=Post.Status.PUBLISHED, published_at=w.draft.published_at
    )


def unpublish_post(w):
    post_change_status(post=w.walk, status=Post.Status.DRAFT)


def edit_title(w):
    w.walk.title = "A longer walk"
    w.walk.save()


def delete_post(w):
    w.walk.delete()


def reschedule_post(w):
    w.walk.published_at = NOW + dt.timedelta(days=3)
    w.walk.save()


def move_post(w):
    w.walk.slug = "a-walk-moved"
    w.walk.save()


def add_old_address(w):
    PostAddress.objects.create(path="/2010/01/walking.html", post=w.walk)


def add_legacy_address(w):
    LegacyAddress.objects.create(path="/?p=42", post=w.walk)


def remove_legacy_address(w):
    w.imported.delete()


def edit_static_page(w):
    w.about.title = "About the writer"
    w.about.body = "Written anew."
    w.about.save()


def unpublish_static_page(w):
    w.about.is_published = False
    w.about.save()


def add_label(w):
    w.walk.tags.add("rivers")


def remove_label(w):
    w.walk.tags.remove("walking")


def rename_label(w):
    tag = Tag.objects.get(slug="walking")
    tag.name = "Long walks"
    tag.save()


def comment_public(w):
    comment_create(post=w.walk, name="Bea", email="b@example.com", text="Went there too.")


def comment_hidden(w):
    comments_reject(comments=[w.comment], moderator=w.moderator)


def comment_deleted(w):
    w.comment.delete()


def comment_approved(w):
    comments_approve(comments=[w.held], moderator=w.moderator)


def comment_edited(w):
    w.comment.comment = "Lovely, and long."
    w.comment.save()


def page_comment_public(w):
    comment_create(post=w.about, name="Bea", email="b@example.com", text="Signed the page.")


def page_comment_hidden(w):
    comments_reject(comments=[w.on_about], moderator=w.moderator)


def author_renamed(w):
    w.author.first_name = "Augusta"
    w.author.save()


# A write, and for each page it changes: text that must now be there (or, with "-", be gone),
# or None where the page changes in a way no single text shows (a count, a status).
CASES = {
    "publish a draft": (publish_draft, {
        "home": "Herons at dusk", "label": "Herons at dusk", "year": "Herons at dusk",
        "archive": "November", "atom": "Herons at dusk",
        "rss": "Herons at dusk", "label feed": "Herons at dusk", "sitemap": "/2024/11/herons/",
    }),
    "publish a draft back-dated": (publish_draft_back_dated, {
        "home": "Herons at dusk", "label": "Herons at dusk", "year": "Herons at dusk",
        "month": "Herons at dusk", "archive": "(2)", "atom": "Herons at dusk",
        "rss": "Herons at dusk", "label feed": "Herons at dusk", "sitemap": "/2024/10/herons/",
    }),
    "unpublish a post": (unpublish_post, {
        "home": "-A long walk", "post": 404, "label": 404, "year": "-A long walk",
        "month": 404, "archive": "-October", "atom": "-A long walk",
        "rss": "-A long walk", "label feed": 404, "sitemap": "-a-long-walk",
        "comments feed": "-Lovely.", "post comments feed": 404,
    }),
    "edit a title": (edit_title, {
        "home": "A longer walk", "post": "A longer walk", "label": "A longer walk",
        "year": "A longer walk", "month": "A longer walk", "atom": "A longer walk",
        "rss": "A longer walk", "label feed": "A longer walk",
        "post comments feed": "A longer walk",
    }),
    "delete a post": (delete_post, {
        "home": "-A long walk", "post": 404, "label": 404, "month": 404,
        "archive": "-October", "atom": "-A long walk", "sitemap": "-a-long-walk",
        "post comments feed": 404,
    }),
    "reschedule a post": (reschedule_post, {
        "home": "-A long walk", "post": 404, "label": 404, "month": 404,
        "atom": "-A long walk", "sitemap": "-a-long-walk",
    }),
    "move a post to a new address": (move_post, {
        "home": "/2024/10/a-walk-moved/", "post": 301, "sitemap": "/2024/10/a-walk-moved/",
        "atom": "/2024/10/a-walk-moved/",
    }),
    "add an old address": (add_old_address, {"old address": 301}),
    "add an imported blog's address": (add_legacy_address, {"wordpress address": 301}),
    "remove an imported blog's address": (remove_legacy_address, {
        "imported address": "A long walk",
    }),
    "edit a static page": (edit_static_page, {
        "static page": "Written anew.", "home": "About the writer",
    }),
    "unpublish a static page": (unpublish_static_page, {
        "static page": 404, "home": "-/p/about/", "sitemap": "-/p/about/",
    }),
    "add a label": (add_label, {"post": "rivers", "home": "rivers", "atom": None}),
    "remove a label": (remove_label, {"post": "-/tag/walking/", "label": 404, "label feed": 404}),
    "rename a label": (rename_label, {"post": "Long walks", "label": "Long walks",
                                      "home": "Long walks", "label feed": "Long walks"}),
    "a comment becomes public": (comment_public, {
        "post": "Went there too.", "home": "2 comments", "comments feed": "Went there too.",
        "post comments feed": "Went there too.",
    }),
    "a comment is hidden": (comment_hidden, {
        "post": "-Lovely.", "home": "-1 comment", "comments feed": "-Lovely.",
        "post comments feed": "-Lovely.",
    }),
    "a comment is deleted": (comment_deleted, {
        "post": "-Lovely.", "home": "-1 comment", "comments feed": "-Lovely.",
    }),
    "a held comment is approved": (comment_approved, {
        "post": "Held back.", "home": "2 comments", "comments feed": "Held back.",
        "post comments feed": "Held back.",
    }),
    "a public comment is edited": (comment_edited, {
        "post": "Lovely, and long.", "comments feed": "Lovely, and long.",
        "post comments feed": "Lovely, and long.",
    }),
    "a comment on a page becomes public": (page_comment_public, {
        "static page": "Signed the page.", "comments feed": "Signed the page.",
    }),
    "a comment on a page is hidden": (page_comment_hidden, {
        "static page": "-Nice page.", "comments feed": "-Nice page.",
    }),
    "the author's name changes": (author_renamed, {
        "post": "Augusta Winter", "home": "Augusta Winter", "atom": "Augusta Winter",
    }),
}  # fmt: skip

PAIRS = [
    pytest.param(write, page, expected, id=f"{name} / {page}")
    for name, (write, affected) in CASES.items()
    for page, expected in affected.items()
]


@pytest.mark.parametrize(("write", "page", "expected"), PAIRS)
def test_a_write_shows_on_the_next_request(wsgi, world, on_commit, write, page, expected):
    path = PAGES[page](world)
    before = wsgi.get(path)
    if before.status == 200:
        stored = wsgi.get(path).is_hit
        assert stored != (page in NEVER_STORED), "the page was not cached, so this proves nothing"

    with on_commit():
        write(world)

    after = wsgi.get(path)
    if isinstance(expected, int):
        assert after.status == expected
        return
    assert after.status == 200
    assert after.body == wsgi.fresh(path).body
    assert after.body != before.body
    if expected is not None:
        text, gone = expected.removeprefix("-"), expected.startswith("-")
        assert (text not in after.text) if gone else (text in after.text)
        assert (text in before.text) if gone else (text not in before.text)


def test_every_public_page_of_the_table_is_cached(wsgi, world):
    """The table above means something only if each of its pages is served from the cache."""
    for page, address in PAGES.items():
        if page == "old address" or page in NEVER_STORED:
            continue
        path = address(world)
        assert wsgi.get(path).status == 200, page
        assert wsgi.get(path).is_hit, page


def test_a_write_that_rolls_back_changes_nothing(wsgi, world, django_capture_on_commit_callbacks):
    """Invalidation waits for the commit: a write that never commits leaves the cache alone."""
    wsgi.get("/")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        edit_title(world)
    assert callbacks, "the write registered no invalidation at all"
    assert wsgi.get("/").is_hit


@pytest.mark.parametrize("store", ["default", "pages", "file"])
def test_the_generation_invalidates_wherever_it_lives(
    wsgi, world, on_commit, settings, store, tmp_path
):
    """With Redis the generation lives beside the pages (one round trip a hit), on SQLite in a
    file beside the database, else in the default cache."""
    settings.QUIRE_PAGE_CACHE_GENERATION_IN = store
    settings.QUIRE_PAGE_CACHE_GENERATION_FILE = str(tmp_path / "db.sqlite3.page-generation")
    before = wsgi.get("/")
    assert wsgi.get("/").is_hit
    with on_commit():
        edit_title(world)
    after = wsgi.get("/")
    assert not after.is_hit and after.body != before.body
    assert after.body == wsgi.fresh("/").body
    if store == "file":
        stored = (tmp_path / "db.sqlite3.page-generation").read_text()
        assert stored == pages.current_generation()
        assert pages.generation_began(stored) == NOW.timestamp()  # The world's frozen clock.
    else:
        assert caches[store].get(pages.GENERATION_KEY) is not None
