"""A post or page edited here after an import is the author's: a later import keeps it."""

import html

from blog.models import Page, Post

from .conftest import ledger_line, run, takeout, takeout_entry, wxr, wxr_item


def edit_here(obj, **fields):
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save()


def test_a_post_edited_here_keeps_the_authors_text_when_the_old_blog_changed_it_too(db, write_file):
    run("import_blogger", write_file(takeout(takeout_entry(1), takeout_entry(2))))
    edit_here(Post.objects.get(title="Post 1"), title="Post 1, as I fixed it", body="Mine.")
    newer = takeout(
        takeout_entry(1, title="Post 1, revised there", body="&lt;p&gt;Theirs.&lt;/p&gt;"),
        takeout_entry(2, title="Post 2, revised there"),
    )
    out = run("import_blogger", write_file(newer))
    assert ledger_line(out, "posts") == "2 in the file: 1 updated, 1 skipped"
    assert "Post 1, revised there" in out and "edited here since the last import" in out
    assert "--replace-edited" in out
    assert sorted(Post.objects.values_list("title", "body")) == [
        ("Post 1, as I fixed it", "Mine."),
        ("Post 2, revised there", ""),
    ]
    # Still the author's on the next import too: keeping it did not make it the import's.
    again = run("import_blogger", write_file(newer))
    assert ledger_line(again, "posts") == "2 in the file: 1 unchanged, 1 skipped"


def test_replace_edited_takes_the_old_blogs_version_and_says_so(db, write_file):
    run("import_blogger", write_file(takeout(takeout_entry(1))))
    edit_here(Post.objects.get(), title="Mine")
    out = run(
        "import_blogger", write_file(takeout(takeout_entry(1, title="Theirs"))), "--replace-edited"
    )
    assert ledger_line(out, "posts") == "1 in the file: 1 updated"
    assert "replaced by the old blog's" in out
    assert Post.objects.get().title == "Theirs"
    # Now the import's again: a newer export updates it without being told.
    out = run("import_blogger", write_file(takeout(takeout_entry(1, title="Theirs, later"))))
    assert Post.objects.get().title == "Theirs, later"


def test_an_edit_here_of_an_entry_the_old_blog_left_alone_is_simply_kept(db, write_file):
    path = write_file(takeout(takeout_entry(1)))
    run("import_blogger", path)
    edit_here(Post.objects.get(), title="Mine")
    out = run("import_blogger", path)
    assert ledger_line(out, "posts") == "1 in the file: 1 unchanged"
    assert Post.objects.get().title == "Mine"


def test_posts_the_import_itself_saved_twice_are_not_taken_for_edits(db, write_file):
    """Links between imported posts are rewritten after the posts went in: that is a second
    save by the import, not the author's, and the next import updates such a post."""
    link = html.escape("<p>See <a href='https://old.blogspot.com/2020/03/post-2.html'>2</a></p>")
    out = run("import_blogger", write_file(takeout(takeout_entry(1, body=link), takeout_entry(2))))
    post = Post.objects.get(title="Post 1")
    assert "/2020/03/post-2/" in post.body, out  # Rewritten, so saved again by the import.
    newer = takeout(takeout_entry(1, title="Post 1, revised", body=link), takeout_entry(2))
    out = run("import_blogger", write_file(newer))
    assert "edited here" not in out
    assert Post.objects.filter(title="Post 1, revised").exists()


def test_a_page_edited_here_is_kept_too(db, write_file):
    run("import_wordpress", write_file(wxr(wxr_item(5, post_type="page", title="About"))))
    edit_here(Page.objects.get(), title="About me")
    out = run("import_wordpress", write_file(wxr(wxr_item(5, post_type="page", title="About us"))))
    assert "edited here since the last import" in out
    assert Page.objects.get().title == "About me"


def test_the_admin_upload_can_replace_edited_entries(client, author, write_file):
    run("import_blogger", write_file(takeout(takeout_entry(1))))
    edit_here(Post.objects.get(), title="Mine")
    client.force_login(author)
    newer = write_file(takeout(takeout_entry(1, title="Theirs")), name="newer.xml")
    with newer.open("rb") as export:
        response = client.post(
            "/admin/interchange/importeditem/import/",
            {"export": export, "replace_edited": "on"},
        )
    assert response.status_code == 200
    assert "replaced by the old blog" in response.content.decode()
    assert Post.objects.get().title == "Theirs"


def test_what_labels_learnt_since_does_not_make_every_post_look_changed():
    """Posts' fingerprints hold their labels' repr: fields added to labels later stay out of
    it, or every post imported before would look changed on the old blog at the next import."""
    from interchange.records import LabelRecord

    label = LabelRecord("category:huts", "Huts", "huts", term_id="9", parent="alps")
    assert (
        repr(label)
        == "LabelRecord(original_id='category:huts', name='Huts', slug='huts', kind='label')"
    )


def test_a_post_taken_out_of_the_trash_there_is_published_here_again(db, write_file):
    run("import_wordpress", write_file(wxr(wxr_item(1))))
    out = run("import_wordpress", write_file(wxr(wxr_item(1, status="trash"))))
    assert "made a draft here" in out and not Post.objects.get().is_published
    out = run("import_wordpress", write_file(wxr(wxr_item(1))))
    assert ledger_line(out, "posts") == "1 in the file: 1 updated", out
    assert Post.objects.get().is_published and "edited here" not in out


def test_an_import_stopped_after_rewriting_links_leaves_no_post_taken_for_edited(
    db, write_file, monkeypatch
):
    """The import saves posts again at the end (links between them); stopped there, the
    posts it had saved are still its own, not edits, at the next import."""
    import pytest
    from django.core.management.base import CommandError

    from interchange import links

    link = html.escape("<p>See <a href='https://old.blogspot.com/2020/03/post-2.html'>2</a></p>")
    rewrite = links.rewrite_batch

    def rewrite_then_stop(*args, **kwargs):
        rewrite(*args, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(links, "rewrite_batch", rewrite_then_stop)
    with pytest.raises(CommandError, match="Stopped before the end"):
        run("import_blogger", write_file(takeout(takeout_entry(1, body=link), takeout_entry(2))))
    assert "/2020/03/post-2/" in Post.objects.get(title="Post 1").body  # It got that far.
    monkeypatch.undo()
    newer = takeout(takeout_entry(1, title="Post 1, revised", body=link), takeout_entry(2))
    out = run("import_blogger", write_file(newer))
    assert "edited here" not in out
    assert Post.objects.filter(title="Post 1, revised").exists()


def test_saving_without_a_change_or_reordering_the_navigation_is_no_edit(db, write_file):
    run("import_wordpress", write_file(wxr(wxr_item(1), wxr_item(5, post_type="page"))))
    Post.objects.get().save()  # Save pressed on an unchanged form.
    page = Page.objects.get()
    page.navigation_order, page.show_in_navigation = 9, False
    page.save()
    newer = wxr(wxr_item(1, title="Post 1 v2"), wxr_item(5, post_type="page", title="Page v2"))
    out = run("import_wordpress", write_file(newer))
    assert "edited here" not in out
    assert Post.objects.get().title == "Post 1 v2" and Page.objects.get().title == "Page v2"
    assert Page.objects.get().navigation_order == 9  # The author's choice, still.


def test_a_scheduled_page_is_updated_as_any_other(db, write_file):
    future = "2031-05-06 10:00:00"
    run(
        "import_wordpress",
        write_file(wxr(wxr_item(5, post_type="page", status="future", date=future))),
    )
    newer = wxr(wxr_item(5, post_type="page", status="future", date=future, title="Soon, v2"))
    out = run("import_wordpress", write_file(newer))
    assert "edited here" not in out and Page.objects.get().title == "Soon, v2"


def test_posts_imported_before_edits_were_known_are_updated_as_before(db, write_file):
    """What an import made before this release has no record of what it wrote: no edit known."""
    from interchange.models import ImportedItem

    run("import_blogger", write_file(takeout(takeout_entry(1))))
    ImportedItem.objects.update(written="")
    edit_here(Post.objects.get(), title="Mine, from before")
    out = run("import_blogger", write_file(takeout(takeout_entry(1, title="Theirs"))))
    assert "edited here" not in out and Post.objects.get().title == "Theirs"


def test_every_post_kept_as_edited_is_listed_by_name_however_many(db, write_file):
    entries = [takeout_entry(n) for n in range(1, 9)]
    run("import_blogger", write_file(takeout(*entries)))
    for post in Post.objects.all():
        edit_here(post, title=f"{post.title}, mine")
    newer = takeout(*(takeout_entry(n, title=f"Post {n} v2") for n in range(1, 9)))
    out = run("import_blogger", write_file(newer))
    assert ledger_line(out, "posts") == "8 in the file: 8 skipped"
    for n in range(1, 9):
        assert f"kept as it is here ('Post {n}, mine')" in out
