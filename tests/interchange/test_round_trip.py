"""export_wordpress writes a file our importer reads back into the same blog, to the letter."""

import datetime as dt
import xml.etree.ElementTree as ET

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from blog.models import Page, Post, PostAddress
from comments.services import comment_create
from comments.xtd import XtdComment
from interchange.models import ImportedItem, LegacyAddress
from tests.factories import PageFactory, PostFactory, UserFactory

from .conftest import ledger_line, run


def snapshot():
    """Everything a reader or the author would notice, keyed by what survives a move."""
    posts = {
        (p.title, p.slug, p.body, p.excerpt, p.status, p.published_at, p.allow_comments,
         p.author.get_username(), tuple(sorted(p.tags.names())),
         tuple(sorted(p.addresses.values_list("path", flat=True))), p.get_absolute_url())
        for p in Post.objects.all()
    }  # fmt: skip
    titles = {("post", pk): title for pk, title in Post.objects.values_list("pk", "title")} | {
        ("page", pk): title for pk, title in Page.objects.values_list("pk", "title")
    }
    by_pk = {c.pk: c for c in XtdComment.objects.select_related("content_type")}
    comments = {
        (titles[c.content_type.model, int(c.object_pk)], c.user_name, c.user_email, c.user_url,
         c.comment, c.submit_date, c.is_public, c.level,
         None if c.parent_id == c.pk else by_pk[c.parent_id].comment)
        for c in by_pk.values()
    }  # fmt: skip
    labels = set(Tag.objects.values_list("name", "slug"))
    pages = set(
        Page.objects.values_list("title", "slug", "body", "is_published", "allow_comments",
                                 "comment_count")
    )  # fmt: skip
    return posts, comments, labels, pages


def test_an_exported_blog_comes_back_identical(db, tmp_path, client):
    writer = UserFactory(username="ada", email="ada@example.com", first_name="Ada")
    past = timezone.now() - dt.timedelta(days=30, microseconds=1234)
    walk = PostFactory(
        title="On walking", author=writer, published_at=past, tags=["Walks", "Цветы"]
    )
    walk.slug = "on-walking-far"  # Its old address is kept, and must survive the move.
    walk.save()
    PostFactory(title="Unfinished", author=writer, draft=True, body="# Draft\n\n*soon*")
    PostFactory(title="Later", author=writer, scheduled=True, excerpt="A **short** one.")
    PostFactory(title="Quiet", author=writer, allow_comments=False, tags=["🙂 smile"])
    about = PageFactory(title="About", slug="about", body="Who *writes* here.", allow_comments=True)
    hello = comment_create(post=about, name="Eve", email="eve@example.com", text="Hello, Ada.")
    comment_create(post=about, name="Ada", email="ada@example.com", text="Hi!", parent=hello)
    PageFactory(title="Hidden", slug="hidden", is_published=False)
    PageFactory(title="Guestbook", slug="guestbook", allow_comments=True)  # Open, none yet.
    Tag.objects.create(name="Unused", slug="unused")
    root = comment_create(post=walk, name="Bo", email="bo@example.com", text="Lovely.\nTruly.")
    reply = comment_create(
        post=walk, name="Ada", email="ada@example.com", text="Thanks!", parent=root
    )
    comment_create(
        post=walk, name="Cy", email="", url="https://cy.example/", text="Me too", parent=reply
    )
    comment_create(post=walk, name="Di", email="di@example.com", text="Waiting", is_public=False)
    before = snapshot()
    old_path = PostAddress.objects.get().path

    export = tmp_path / "quire.wxr.xml"
    call_command("export_wordpress", "--output", str(export), "--base-url", "https://old.example")
    XtdComment.objects.all().delete()
    Post.objects.all().delete()
    Page.objects.all().delete()
    Tag.objects.all().delete()
    LegacyAddress.objects.all().delete()
    ImportedItem.objects.all().delete()

    out = run("import_wordpress", export)
    assert "MISMATCH" not in out and "failed" not in out
    assert ledger_line(out, "posts") == "4 in the file: 4 created"
    assert ledger_line(out, "comments") == "6 in the file: 6 created"
    assert snapshot() == before
    about_page = client.get("/p/about/").content.decode()
    assert "2 comments:" in about_page and "Hello, Ada." in about_page
    assert client.get(old_path).headers["Location"] == walk.get_absolute_url()


def test_export_to_standard_output_is_a_wxr_file(db, capsys):
    PostFactory(title="Fish & chips ]]> <b>", body="Body with ]]> inside")
    call_command("export_wordpress")
    text = capsys.readouterr().out
    assert "<wp:wxr_version>1.2</wp:wxr_version>" in text
    item = ET.fromstring(text).find("channel/item")
    assert item.findtext("title") == "Fish & chips ]]> <b>"
    assert item.findtext("{urn:quire:export:1}markdown") == "Body with ]]> inside"


def test_the_blogs_own_export_read_back_into_it_duplicates_nothing(db, tmp_path, settings):
    """A restore of last week's export, or an export imported by mistake: every entry is the
    one already here, matched by the writer's own ids (pages by their address)."""
    settings.QUIRE_DOMAIN = "blog.example.com"
    walk = PostFactory(title="On walking", tags=["Walks"])
    PostFactory(title="Unfinished", draft=True)
    about = PageFactory(title="About", slug="about", allow_comments=True)
    root = comment_create(post=walk, name="Bo", email="bo@example.com", text="Lovely.")
    comment_create(post=walk, name="Ada", email="ada@example.com", text="Thanks!", parent=root)
    comment_create(post=about, name="Eve", email="eve@example.com", text="Hello.")
    before = snapshot()
    export = tmp_path / "quire.wxr.xml"
    call_command(
        "export_wordpress", "--output", str(export), "--base-url", "https://blog.example.com"
    )
    walk.title = "On walking, edited since"
    walk.save()

    out = run("import_wordpress", export)

    assert "MISMATCH" not in out and "failed" not in out, out
    assert ledger_line(out, "posts") == "2 in the file: 2 updated"
    assert ledger_line(out, "pages") == "1 in the file: 1 updated"
    assert ledger_line(out, "comments") == "3 in the file: 3 updated"
    assert "already in this blog, whose export this is" in out
    assert snapshot() == before, "the export's content, and nothing twice"
    again = run("import_wordpress", export)
    assert ledger_line(again, "posts") == "2 in the file: 2 unchanged"
    assert ledger_line(again, "comments") == "3 in the file: 3 unchanged"


def test_a_quire_export_is_never_matched_with_a_wordpress_blog_at_the_same_address(
    db, tmp_path, write_file
):
    """Moved from WordPress at old.example, then exported from Quire at old.example: the
    ids of one are not the other's, so neither export updates the other's posts."""
    from .conftest import wxr, wxr_item

    run("import_wordpress", write_file(wxr(wxr_item(1, title="From WordPress"))))
    imported = Post.objects.get()
    PostFactory(title="Written here")
    export = tmp_path / "quire.wxr.xml"
    call_command(
        "export_wordpress", "--output", str(export), "--base-url", "https://old.example.com"
    )
    Post.objects.exclude(pk=imported.pk).delete()

    out = run("import_wordpress", export)

    assert "MISMATCH" not in out
    assert Post.objects.get(pk=imported.pk).title == "From WordPress"
    assert Post.objects.filter(title="Written here").count() == 1


def test_every_old_address_survives_a_move_through_the_export(db, tmp_path, client):
    """The redirects an earlier import made (from Blogger, say) are the move's whole point:
    the next move keeps them, whatever they lead to."""
    walk = PostFactory(title="On walking", tags=["Travel"])
    about = PageFactory(title="About", slug="about")
    travel = Tag.objects.get(name="Travel")
    rows = [
        LegacyAddress(path="/2011/05/on-walking.html", post=walk),
        LegacyAddress(path="/?p=1", post=walk),
        LegacyAddress(path="/p/about.html", page=about),
        LegacyAddress(path="/search/label/Travel", tag=travel),
        LegacyAddress(
            path="/feeds/posts/default/-/Travel", tag=travel, url_name="blog:tag_feed_atom"
        ),
        LegacyAddress(path="/feeds/posts/default", url_name="blog:feed_atom"),
        LegacyAddress(
            path="/feeds/5001/comments/default", post=walk, url_name="comments-post-feed"
        ),
    ]
    for row in rows:
        row.full_clean()
        row.save()
    export = tmp_path / "quire.wxr.xml"
    call_command("export_wordpress", "--output", str(export), "--base-url", "https://old.example")
    for model in (XtdComment, Post, Page, Tag, LegacyAddress, ImportedItem):
        model.objects.all().delete()

    out = run("import_wordpress", export)

    assert ledger_line(out, "redirects") == "7 in the file: 7 created"
    assert "MISMATCH" not in out
    walk, about = Post.objects.get(), Page.objects.get()
    expected = {
        "/2011/05/on-walking.html": walk.get_absolute_url(),
        "/?p=1": walk.get_absolute_url(),
        "/p/about.html": about.get_absolute_url(),
        "/search/label/Travel": reverse("blog:tag_detail", args=["travel"]),
        "/feeds/posts/default/-/Travel": reverse("blog:tag_feed_atom", args=["travel"]),
        "/feeds/posts/default": reverse("blog:feed_atom"),
        "/feeds/5001/comments/default": reverse("comments-post-feed", args=[walk.pk]),
    }
    for path, target in expected.items():
        route, _, query = path.partition("?")
        response = client.get(route, dict([query.split("=")]) if query else {})
        assert (response.status_code, response["Location"]) == (301, target), path
