import datetime as dt
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
from taggit.models import Tag

from blog.models import Page, Post
from comments.xtd import XtdComment
from interchange.models import ImportedItem

from .conftest import ledger_line, real_export, run, takeout, takeout_entry

ATOM = "{http://www.w3.org/2005/Atom}"
KIND = "http://schemas.google.com/g/2005#kind"
BLOGGER_2012 = "blogger-export-2012.xml"


def own_count(path):
    """The file's entries by kind and its distinct labels, parsed here independently."""
    kinds, labels = Counter(), set()
    for entry in ET.parse(path).getroot().iter(f"{ATOM}entry"):
        for category in entry.iter(f"{ATOM}category"):
            if category.get("scheme") == KIND:
                kinds[category.get("term").rsplit("#", 1)[1]] += 1
            else:
                labels.add(category.get("term"))
    return kinds, labels


@pytest.fixture
def blogger_2012(db):
    path = real_export(BLOGGER_2012)
    return path, run("import_blogger", path)


def test_the_ledger_accounts_for_every_entry_of_the_real_export(blogger_2012):
    path, out = blogger_2012
    kinds, labels = own_count(path)
    others = sum(n for kind, n in kinds.items() if kind not in ("post", "page", "comment"))
    assert ledger_line(out, "posts") == f"{kinds['post']} in the file: {kinds['post']} created"
    assert ledger_line(out, "pages") == f"{kinds['page']} in the file: {kinds['page']} created"
    assert ledger_line(out, "comments") == f"{kinds['comment']} in the file: 1 created"
    assert ledger_line(out, "labels") == f"{len(labels)} in the file: {len(labels)} created"
    assert ledger_line(out, "others") == f"{others} in the file: {others} skipped"
    assert f"All {sum(kinds.values()) + len(labels)} entries of the file are accounted for" in out
    assert Post.objects.count() == kinds["post"]
    assert Page.objects.count() == kinds["page"]
    assert XtdComment.objects.count() == kinds["comment"]
    assert Tag.objects.count() == len(labels)


def test_drafts_stay_drafts_and_labels_are_attached(blogger_2012):
    drafts = Post.objects.filter(status=Post.Status.DRAFT)
    assert drafts.count() == 2
    post = Post.objects.get(title="Converting a Mercurial Repository to Git (Not) on Windows")
    assert post.status == Post.Status.DRAFT
    assert set(post.tags.names()) >= {"Git", "Mercurial", "Hg", "DVCS"}
    dated = Post.objects.get(title="DateTime Differences in .NET and SQL Server 2000")
    assert dated.published_at.isoformat() == "2005-07-26T14:10:00.002000+00:00"
    assert "<pre" in dated.body_html and "<script" not in dated.body_html


def test_the_comment_keeps_its_author_and_stays_public(blogger_2012, client):
    comment = XtdComment.objects.get()
    assert comment.user_name == "J.Dub"
    assert comment.comment == "You speak the truth about the birds."
    assert comment.is_public
    post = Post.objects.get(title="Ten Best and Worst of 2010")
    assert comment.object_pk == str(post.pk)
    assert post.comment_count == 1
    assert "You speak the truth about the birds." in client.get(post.get_absolute_url()).text


@pytest.mark.parametrize(
    "old, new",
    [
        ("/2011/01/ten-best-and-worst-of-2010.html", "/2011/01/ten-best-and-worst-of-2010/"),
        ("/2011/01/ten-best-and-worst-of-2010.html?m=1", "/2011/01/ten-best-and-worst-of-2010/"),
        ("/p/neddle.html", "/p/neddle/"),
        ("/p/neddle.html?m=1", "/p/neddle/"),
        ("/search/label/SQL%20Server", "/tag/sql-server/"),
        ("/feeds/posts/default", "/feed/"),
        ("/feeds/posts/default?alt=rss", "/feed/"),
        ("/rss.xml", "/feed/rss/"),
        ("/feeds/comments/default", "/comments/feed/"),
        ("/feeds/posts/default/-/SQL%20Server", "/tag/sql-server/feed/"),
        ("/feeds/87787154009287065/comments/default", "/comments/feed/{post_pk}/"),
    ],
)
def test_every_old_address_answers_with_a_permanent_redirect(blogger_2012, client, old, new):
    response = client.get(old)
    assert response.status_code == 301
    post = Post.objects.get(title="DateTime Differences in .NET and SQL Server 2000")
    new = new.format(post_pk=post.pk)
    assert response["Location"] == new
    assert client.get(new).status_code == 200


def test_running_the_same_export_again_changes_nothing(blogger_2012):
    path, _ = blogger_2012
    before = (Post.objects.count(), XtdComment.objects.count(), ImportedItem.objects.count())
    updated = list(Post.objects.values_list("updated_at", flat=True))
    out = run("import_blogger", path)
    assert "10 unchanged" in out and "created" not in out and "updated" not in out
    assert (
        Post.objects.count(),
        XtdComment.objects.count(),
        ImportedItem.objects.count(),
    ) == before
    assert list(Post.objects.values_list("updated_at", flat=True)) == updated


def test_dry_run_prints_the_ledger_and_writes_nothing(db):
    out = run("import_blogger", real_export(BLOGGER_2012), "--dry-run")
    assert "Dry run: nothing was written." in out and "10 created" in out
    assert not Post.objects.exists() and not ImportedItem.objects.exists()


# Google Takeout's feed.atom -----------------------------------------------------------------


def test_takeout_statuses_threads_and_anonymous_authors(db, write_file, client):
    path = write_file(
        takeout(
            takeout_entry(1, labels=["Walks", "Цветы"]),
            takeout_entry(2, status="DRAFT"),
            takeout_entry(3, status="SCHEDULED", published="2999-01-01T00:00:00Z"),
            takeout_entry(4, status="SOFT_TRASHED"),
            takeout_entry(5, kind="PAGE", title="About", filename="/p/about.html"),
            takeout_entry(6, kind="SETTINGS", title="A setting"),
            takeout_entry(
                10,
                kind="COMMENT",
                parent=1,
                body="First!",
                author="Anonymous",
                author_type="ANONYMOUS",
            ),  # fmt: skip
            # A reply that comes before the comment it answers.
            takeout_entry(12, kind="COMMENT", parent=1, in_reply_to=11, body="Indeed."),
            takeout_entry(11, kind="COMMENT", parent=1, in_reply_to=10, body="Thanks &amp; hi"),
        ),
        name="feed.atom",
    )
    out = run("import_blogger", path)
    assert "All 11 entries of the file are accounted for" in out
    assert "in the trash" in out and "Blogger settings entry" in out
    published, draft, scheduled = (Post.objects.get(title=f"Post {n}") for n in (1, 2, 3))
    assert published.is_published and set(published.tags.names()) == {"Walks", "Цветы"}
    assert draft.status == Post.Status.DRAFT
    assert scheduled.is_scheduled
    assert not Post.objects.filter(title="Post 4").exists()
    first, thanks, indeed = (
        XtdComment.objects.get(comment=t) for t in ("First!", "Thanks & hi", "Indeed.")
    )
    assert first.user_name == "Anonymous" and first.user_url == ""
    assert thanks.parent_id == first.pk and indeed.parent_id == thanks.pk
    assert client.get("/2020/03/post-1.html").headers["Location"] == published.get_absolute_url()
    assert client.get("/p/about.html").headers["Location"] == "/p/about/"
    assert client.get("/2020/03/post-2.html", follow=True).status_code == 404  # A draft: no leak
    assert client.get("/search/label/%D0%A6%D0%B2%D0%B5%D1%82%D1%8B").status_code == 301


def test_a_newer_takeout_adds_and_updates_what_changed(db, write_file):
    run("import_blogger", write_file(takeout(takeout_entry(1), takeout_entry(2))))
    newer = takeout(takeout_entry(1, title="Post 1, revised"), takeout_entry(2), takeout_entry(3))
    out = run("import_blogger", write_file(newer))
    assert "1 created, 1 updated, 1 unchanged" in out
    assert sorted(Post.objects.values_list("title", flat=True)) == [
        "Post 1, revised",
        "Post 2",
        "Post 3",
    ]


def test_a_comment_whose_parent_is_missing_is_kept_on_its_post(db, write_file):
    path = write_file(
        takeout(takeout_entry(1), takeout_entry(20, kind="COMMENT", parent=1, in_reply_to=99))
    )
    out = run("import_blogger", path)
    comment = XtdComment.objects.get()
    assert comment.parent_id == comment.pk and comment.object_pk == str(Post.objects.get().pk)
    assert "its parent comment" in out and "is missing: kept on the post" in out


def test_a_comment_on_a_post_the_file_does_not_hold_says_so(db, write_file):
    path = write_file(takeout(takeout_entry(1), takeout_entry(20, kind="COMMENT", parent=77)))
    out = run("import_blogger", path)
    assert not XtdComment.objects.exists()
    assert "its post tag:blogger.com,1999:blog-777.post-77 is not in the file" in out


def test_a_takeout_file_in_the_shape_google_hands_out_today(db, write_file, client):
    """Empty <link/>, <enclosure/> and <blogger:trashed/> elements, <blogger:created> beside
    <published>, titles whose entities Blogger escaped twice, and an anonymous commenter."""
    path = write_file((Path(__file__).parent / "data" / "takeout-shape.atom").read_text())
    out = run("import_blogger", path)
    assert ledger_line(out, "posts") == "1 in the file: 1 created"
    assert ledger_line(out, "comments") == "1 in the file: 1 created"
    post = Post.objects.get()
    assert post.title == 'Mara\'s "first" walk'
    assert post.published_at == dt.datetime(2011, 5, 11, 19, 46, tzinfo=dt.UTC)
    assert post.is_published and list(post.tags.names()) == ["Walks"]
    assert "Hello &amp; welcome." in post.body_html
    comment = XtdComment.objects.get()
    assert comment.user_name == "Anonymous" and comment.comment == "Lovely!"
    response = client.get("/2011/05/maras-first-walk.html")
    assert response.status_code == 301 and response.headers["Location"] == post.get_absolute_url()


def test_comments_listed_newest_first_show_in_the_order_they_were_written(db, write_file, client):
    """Blogger's export lists the newest entries first, comments included."""
    comments = [
        takeout_entry(
            20 + day, kind="COMMENT", parent=1, body=f"Written on day {day}",
            published=f"2020-03-{day:02d}T10:00:00Z",
        )
        for day in (9, 7, 8, 5)
    ]  # fmt: skip
    out = run("import_blogger", write_file(takeout(*comments, takeout_entry(1))))
    assert ledger_line(out, "comments") == "4 in the file: 4 created"
    page = client.get(Post.objects.get().get_absolute_url()).content.decode()
    positions = [page.index(f"Written on day {day}") for day in (5, 7, 8, 9)]
    assert positions == sorted(positions)


def test_an_old_blog_in_another_time_zone_is_said_in_the_ledger(db, write_file, settings):
    zone = takeout_entry(9, kind="SETTINGS", title="", body="America/Los_Angeles").replace(
        "blog-777.post-9", "blog-777.settings.BLOG_TIME_ZONE"
    )
    settings.TIME_ZONE = "Europe/Lisbon"
    out = run("import_blogger", write_file(takeout(takeout_entry(1), zone)))
    assert "the old blog's time zone was America/Los_Angeles, this blog's is Europe/Lisbon" in out
