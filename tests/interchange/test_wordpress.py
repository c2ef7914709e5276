import re
import xml.etree.ElementTree as ET
from collections import Counter

import pytest

from blog.models import Page, Post
from comments.xtd import XtdComment

from .conftest import ledger_line, real_export, run, wxr, wxr_comment, wxr_item

THEME_TEST = "wordpress-theme-unit-test.wxr.xml"
SMALL_11 = "wordpress-small-1.1.wxr.xml"


def own_count(path):
    """Items by post type, comments by status, authors: parsed here, independently."""
    root = ET.parse(path).getroot()
    namespace = re.search(r'xmlns:wp="([^"]+)"', path.read_text()).group(1)
    wp = f"{{{namespace}}}"
    types, comments = Counter(), Counter()
    for item in root.iter("item"):
        types[item.findtext(f"{wp}post_type")] += 1
        for comment in item.iter(f"{wp}comment"):
            comments[comment.findtext(f"{wp}comment_approved")] += 1
    return types, comments, len(root.findall(f".//{wp}author"))


@pytest.fixture
def theme_test(db):
    path = real_export(THEME_TEST)
    return path, run("import_wordpress", path)


def test_the_ledger_matches_the_real_theme_unit_test(theme_test):
    path, out = theme_test
    types, comments, authors = own_count(path)
    assert ledger_line(out, "posts").startswith(f"{types['post']} in the file: ")
    assert ledger_line(out, "pages") == f"{types['page']} in the file: {types['page']} created"
    assert ledger_line(out, "attachments").startswith(f"{types['attachment']} in the file")
    assert ledger_line(out, "comments").startswith(f"{sum(comments.values())} in the file")
    assert ledger_line(out, "authors") == f"{authors} in the file: {authors} created"
    assert "entries of the file are accounted for" in out and "MISMATCH" not in out
    # Published, scheduled and draft posts all come; pages too.
    assert Post.objects.count() == types["post"]
    assert Page.objects.count() == types["page"]
    assert Post.objects.filter(title="Scheduled").get().is_scheduled
    assert Post.objects.get(title="Draft").status == Post.Status.DRAFT


def test_threads_status_labels_and_old_permalinks(theme_test, client):
    assert XtdComment.objects.filter(level__gt=0).exists()
    waiting = XtdComment.objects.filter(is_public=False)
    assert waiting.exists() and not waiting.filter(is_removed=True).exists()
    post = Post.objects.get(title="Template: Comments")
    public = XtdComment.objects.filter(object_pk=str(post.pk), is_public=True)
    assert post.comment_count == public.count() > 0
    assert {"Template", "comments"} <= set(post.tags.names())
    old_forms = [
        "/?p=1148",
        "/2012/01/03/template-comments/",
        "/template-comments/",
        "/2007/09/04/comment-test/",  # its link in the file
    ]
    for old in old_forms:
        response = client.get(old)
        assert (old, response.status_code) == (old, 301)
        assert response["Location"] == post.get_absolute_url()


def test_the_small_wxr_11_file(db, client):
    out = run("import_wordpress", real_export(SMALL_11))
    assert "MISMATCH" not in out
    assert Post.objects.count() == 1 and Page.objects.count() == 1
    assert XtdComment.objects.count() == 1


def test_spam_and_trash_are_left_out_and_pending_waits(db, write_file):
    comments = "".join(
        [wxr_comment(1), wxr_comment(2, approved="0"), wxr_comment(3, approved="spam"),
         wxr_comment(4, approved="trash")]
    )  # fmt: skip
    out = run("import_wordpress", write_file(wxr(wxr_item(10, comments=comments))))
    assert ledger_line(out, "comments") == "4 in the file: 2 created, 2 skipped"
    assert "spam on the old blog" in out and "in the trash" in out
    public, waiting = XtdComment.objects.order_by("id")
    assert public.is_public and not waiting.is_public and not waiting.is_removed


def test_pingbacks_and_trackbacks_are_left_out_and_listed(db, write_file, client):
    comments = "".join(
        [wxr_comment(1), wxr_comment(2, comment_type="pingback", text="Pingback: elsewhere"),
         wxr_comment(3, comment_type="trackback"), wxr_comment(4, comment_type="comment")]
    )  # fmt: skip
    out = run("import_wordpress", write_file(wxr(wxr_item(10, comments=comments))))
    assert ledger_line(out, "comments") == "4 in the file: 2 created, 2 skipped"
    assert "a pingback from another blog's link, not a comment" in out
    assert "a trackback from another blog's link, not a comment" in out
    assert "Pingback" not in client.get(Post.objects.get().get_absolute_url()).content.decode()


def test_what_is_spam_or_in_the_trash_on_the_old_blog_now_goes_from_here_too(db, write_file):
    """A newer export is the old blog as it is now: what it has taken down comes down here."""
    first = wxr(wxr_item(10, comments=wxr_comment(1) + wxr_comment(2)), wxr_item(11))
    run("import_wordpress", write_file(first))
    assert Post.objects.get(title="Post 10").comment_count == 2

    newer = wxr(
        wxr_item(10, comments=wxr_comment(1, approved="spam") + wxr_comment(2)),
        wxr_item(11, status="trash"),
    )
    out = run("import_wordpress", write_file(newer))

    assert "spam on the old blog now: removed here" in out
    assert "in the trash on the old blog now: made a draft here" in out
    assert Post.objects.get(title="Post 10").comment_count == 1
    assert XtdComment.objects.get(comment="Comment 1").is_removed
    assert Post.objects.get(title="Post 11").status == Post.Status.DRAFT
    assert "MISMATCH" not in out
    again = run("import_wordpress", write_file(newer))
    assert "created" not in ledger_line(again, "posts") and "MISMATCH" not in again


def test_private_and_pending_posts_become_drafts(db, write_file):
    out = run(
        "import_wordpress",
        write_file(wxr(wxr_item(1, status="private"), wxr_item(2, status="pending"))),
    )
    assert Post.objects.filter(status=Post.Status.DRAFT).count() == 2
    assert "private on the old blog: kept as a draft" in out


def test_a_password_protected_post_or_page_is_kept_as_a_draft_and_said(db, write_file, client):
    protected = [
        wxr_item(n, post_type=kind, body="Secret: grandma's recipe.").replace(
            "<wp:status>", "<wp:post_password><![CDATA[grandma]]></wp:post_password><wp:status>"
        )
        for n, kind in ((1, "post"), (2, "page"))
    ]
    out = run("import_wordpress", write_file(wxr(*protected, wxr_item(3))))
    assert "password-protected on the old blog: kept as a draft" in out
    assert Post.objects.get(title="Post 1").status == Post.Status.DRAFT
    assert not Page.objects.get(title="Post 2").is_published
    for path in ("/", "/feed/", "/sitemap.xml", "/search/?q=recipe"):
        assert "Secret:" not in client.get(path).content.decode(), path


def test_a_thread_ten_deep_is_rebuilt_down_to_the_deepest_level_allowed(db, write_file):
    comments = "".join(wxr_comment(n, parent=n - 1 if n > 1 else 0) for n in range(1, 11))
    out = run("import_wordpress", write_file(wxr(wxr_item(1, comments=comments))))
    levels = dict(XtdComment.objects.values_list("comment", "level"))
    assert [levels[f"Comment {n}"] for n in range(1, 11)] == [0, 1, 2, 3, 3, 3, 3, 3, 3, 3]
    assert out.count("nested deeper than the 3 levels allowed here") or "6 comment" in out
    deepest = XtdComment.objects.get(comment="Comment 10")
    assert XtdComment.objects.get(pk=deepest.parent_id).comment == "Comment 3"


def test_links_between_imported_posts_lead_to_the_new_addresses(db, write_file, client):
    body = 'See <a href="https://old.example.com/2020/04/05/post-1/">the first</a>.'
    run("import_wordpress", write_file(wxr(wxr_item(1), wxr_item(2, body=body))))
    first, second = Post.objects.get(title="Post 1"), Post.objects.get(title="Post 2")
    assert f'href="{first.get_absolute_url()}"' in second.body_html
    assert "old.example.com" not in second.body_html


def test_plain_wordpress_paragraphs_become_paragraphs(db, write_file):
    run("import_wordpress", write_file(wxr(wxr_item(1, body="One line\nnext line.\n\nTwo."))))
    html = Post.objects.get().body_html
    assert "<p>One line<br>\nnext line.</p>" in html and "<p>Two.</p>" in html


def test_wxr_10_is_read_too(db, write_file):
    text = wxr(wxr_item(1, comments=wxr_comment(1))).replace("export/1.2/", "export/1.0/")
    out = run(
        "import_wordpress", write_file(text.replace("<wp:wxr_version>1.2", "<wp:wxr_version>1.0"))
    )
    assert ledger_line(out, "posts") == "1 in the file: 1 created"
    assert XtdComment.objects.get().comment == "Comment 1"


def test_importing_the_real_file_again_duplicates_nothing(theme_test):
    path, _ = theme_test
    counts = (Post.objects.count(), Page.objects.count(), XtdComment.objects.count())
    out = run("import_wordpress", path)
    assert " created" not in out and " updated" not in out and "MISMATCH" not in out
    assert (Post.objects.count(), Page.objects.count(), XtdComment.objects.count()) == counts


def test_a_thread_shows_in_the_order_it_was_written_whatever_the_files_order(
    db, write_file, client
):
    comments = "".join(
        wxr_comment(n, text=f"Written on day {day}").replace(
            f"2020-05-0{1 + n % 9} 10:00:00", f"2020-05-0{day} 10:00:00"
        )
        for n, day in ((1, 3), (2, 1), (3, 2))
    )
    run("import_wordpress", write_file(wxr(wxr_item(10, comments=comments))))
    page = client.get(Post.objects.get().get_absolute_url()).content.decode()
    positions = [page.index(f"Written on day {day}") for day in (1, 2, 3)]
    assert positions == sorted(positions)


def test_a_reply_loop_and_a_comment_that_answers_itself_are_called_what_they_are(db, write_file):
    comments = "".join([wxr_comment(501, parent=501), wxr_comment(502, parent=503),
                        wxr_comment(503, parent=502), wxr_comment(504, parent=999)])  # fmt: skip
    out = run("import_wordpress", write_file(wxr(wxr_item(10, comments=comments))))
    assert ledger_line(out, "comments") == "4 in the file: 4 created"
    assert "it names itself as its parent: kept on the post" in out
    assert "it and its parent comment 503 answer each other in a loop" in out
    assert "its parent comment 999 is missing: kept on the post" in out


def dated(n, *, local, utc):
    """An item whose date is `local` on the blog's clock and `utc` in UTC, as WordPress writes."""
    item = wxr_item(n)
    item = item.replace("<wp:post_date>2020-04-05 10:00:00", f"<wp:post_date>{local}")
    return item.replace("<wp:post_date_gmt>2020-04-05 10:00:00", f"<wp:post_date_gmt>{utc}")


def test_a_blog_kept_on_another_clock_than_this_one_is_said_in_the_ledger(db, write_file):
    """New York's clock, winter and summer; this blog's is UTC."""
    winter = dated(1, local="2020-01-05 05:00:00", utc="2020-01-05 10:00:00")
    summer = dated(2, local="2020-07-05 06:00:00", utc="2020-07-05 10:00:00")
    out = run("import_wordpress", write_file(wxr(winter, summer)))
    assert "the old blog's clock ran at UTC−05:00, UTC−04:00" in out
    assert "this blog's is UTC (QUIRE_TIME_ZONE)" in out
    assert "accounted for" in out and "MISMATCH" not in out


def test_a_blog_on_this_blogs_clock_gets_no_such_note(db, write_file, settings):
    settings.TIME_ZONE = "America/New_York"
    item = dated(1, local="2020-04-05 06:00:00", utc="2020-04-05 10:00:00")
    out = run("import_wordpress", write_file(wxr(item)))
    assert "clock" not in out
