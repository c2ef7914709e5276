"""export_wordpress writes a file our importer reads back into the same blog, to the letter."""

import datetime as dt
import xml.etree.ElementTree as ET

from django.core.management import call_command
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
