"""Files that are damaged, hostile or not exports at all: one sentence, nothing written."""

import pytest
from django.core.management.base import CommandError

from blog.models import Post
from interchange.models import ImportedItem

from .conftest import WXR_HEAD, ledger_line, run, takeout, takeout_entry, wxr, wxr_item


def refused(write_file, text, command="import_wordpress"):
    with pytest.raises(CommandError) as caught:
        run(command, write_file(text))
    assert not Post.objects.exists() and not ImportedItem.objects.exists()
    message = str(caught.value)
    assert "\n" not in message and "Traceback" not in message
    return message


def test_an_undeclared_namespace_prefix_is_mended_and_reported(db, write_file):
    text = wxr(wxr_item(1)).replace(' xmlns:dc="http://purl.org/dc/elements/1.1/"', "")
    out = run("import_wordpress", write_file(text))
    assert "Mended: Declared the namespace prefix 'dc:'" in out
    assert ledger_line(out, "posts") == "1 in the file: 1 created"


def test_a_bare_ampersand_is_mended_and_reported(db, write_file):
    text = wxr(wxr_item(1)).replace(
        "<link>https://old.example.com/2020", "<link>https://old.example.com/?a=1&b=2&amp;c=3/2020"
    )
    text = text.replace("<title>Post 1</title>", "<title>Fish &amp; chips &mdash; and &</title>")
    out = run("import_wordpress", write_file(text))
    assert "Mended: Escaped 2 bare '&'" in out
    assert Post.objects.get().title == "Fish & chips — and &"


def test_control_characters_are_dropped_and_reported_not_a_refusal(db, write_file):
    """An old editor's \x0b or a pasted \x1b shows as nothing: XML cannot carry it, and the
    file is read without it rather than refused whole."""
    body = "<p>Cont\x0brol: a\x1bb\x07c, ünïcödé</p>"
    text = wxr(wxr_item(1, title="Tab\x0bbed", body=body), wxr_item(2, body="€\x0c"))
    out = run("import_wordpress", write_file(text))
    assert "Mended: Removed 5 control characters, which show as nothing (first at line" in out
    assert ledger_line(out, "posts") == "2 in the file: 2 created"
    first = Post.objects.get(title="Tabbed")
    assert "Control: abc, ünïcödé" in first.body_html


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_an_export_in_utf_16_is_read(db, write_file, encoding):
    text = wxr(wxr_item(1, title="Ünïcödé 日本")).replace('encoding="UTF-8"', 'encoding="UTF-16"')
    assert 'encoding="UTF-16"' in text
    data = text.encode(encoding)  # "utf-16" writes a byte-order mark; -le and -be do not.
    out = run("import_wordpress", write_file(data))
    assert ledger_line(out, "posts") == "1 in the file: 1 created"
    assert Post.objects.get().title == "Ünïcödé 日本"


def test_bytes_that_are_not_utf8_in_a_utf8_file_are_read_as_windows_1252(db, write_file):
    """Curly quotes pasted from an old editor into a blog whose database was not UTF-8: the
    file says UTF-8 and is not, everywhere such a character is. Read, said, never refused."""
    long_body = "ü" * 40_000  # Valid UTF-8 two-byte characters on both sides of a 64 KB read.
    text = wxr(
        wxr_item(1, title="QUOTE_OPENa quoteQUOTE_CLOSE and caf\u00e9", body=long_body + "LATIN"),
        wxr_item(2, title="Ünïcödé 日本, as it should be"),
    )
    data = text.encode("utf-8")
    data = data.replace(b"QUOTE_OPEN", b"\x93").replace(b"QUOTE_CLOSE", b"\x94")
    data = data.replace("café".encode(), b"caf\xe9").replace(b"LATIN", b"na\xefve")
    out = run("import_wordpress", write_file(data))
    assert "Mended: Read 4 characters that were not UTF-8" in out
    assert "as Windows-1252 (first at line" in out
    assert ledger_line(out, "posts") == "2 in the file: 2 created"
    assert Post.objects.filter(title="“a quote” and café").exists()
    assert Post.objects.filter(title="Ünïcödé 日本, as it should be").exists()
    body = Post.objects.get(pk=Post.objects.get(title__startswith="“").pk).body
    assert body.count("ü") == 40_000 and "naïve" in body


def test_a_file_that_says_latin_1_is_read_as_latin_1_without_a_mend(db, write_file):
    text = wxr(wxr_item(1, title="café")).replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
    out = run("import_wordpress", write_file(text.encode("latin-1")))
    assert "Mended" not in out
    assert Post.objects.get().title == "café"


def test_cdata_is_not_touched_by_the_mends(db, write_file):
    text = wxr(wxr_item(1, body="a && b <code>x & y</code>")).replace("<title>Post 1", "<title>A&B")
    run("import_wordpress", write_file(text))
    assert "a &amp;&amp; b" in Post.objects.get().body_html


def test_entity_expansion_bombs_are_refused(db, write_file):
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    )
    text = bomb + wxr(wxr_item(1, title="&c;")).split("?>", 1)[1]
    assert "declares entities of its own" in refused(write_file, text)


def test_external_entities_are_refused(db, write_file):
    evil = '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    text = evil + wxr(wxr_item(1, title="&x;")).split("?>", 1)[1]
    assert "refused" in refused(write_file, text)


@pytest.mark.parametrize("cut", ["between elements", "inside a tag", "inside CDATA"])
def test_a_truncated_file_says_so_wherever_it_was_cut(db, write_file, cut):
    whole = wxr(wxr_item(1), wxr_item(2))
    second = whole.index("<item><title>Post 2")
    at = {
        "between elements": second,
        "inside a tag": whole.index("<wp:post_id>", second) + 6,
        "inside CDATA": whole.index("Hello there.", second) + 3,
    }[cut]
    message = refused(write_file, whole[:at])
    assert "it looks truncated; download the export again" in message
    assert "line" in message
    # Where to look, in the file and on the old blog: the second post is the one cut short.
    assert ", after the post “Post 1” (id 1): it looks truncated" in message


def test_a_blogger_export_cut_short_names_the_last_entry_read(db, write_file):
    whole = takeout(takeout_entry(1), takeout_entry(2, title="Zweiter Beitrag"), takeout_entry(3))
    cut = whole[: whole.index("Post 3")]
    message = refused(write_file, cut, command="import_blogger")
    assert "it looks truncated" in message
    assert "after the post “Zweiter Beitrag” (id " in message


def test_a_file_cut_inside_its_first_entry_says_only_where(db, write_file):
    whole = takeout(takeout_entry(1))
    message = refused(write_file, whole[: whole.index("Post 1")], command="import_blogger")
    assert message.startswith("The file ends before the export does, at line ")
    assert "after" not in message


def test_an_unmendable_fault_says_where(db, write_file):
    text = WXR_HEAD + "<item><title>Broken</wrong></item></channel></rss>"
    message = refused(write_file, text)
    assert message.startswith("The file is not well-formed XML at line 9, column")


def test_an_unmendable_fault_names_the_entry_before_it(db, write_file):
    text = wxr(wxr_item(1, title="Fine"), "<item><title>Broken</wrong></item>")
    message = refused(write_file, text)
    assert message.endswith("(mismatched tag), after the post “Fine” (id 1).")


@pytest.mark.parametrize(
    "text, says",
    [
        ('<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>A</title>'
         "</item></channel></rss>", "This is an RSS feed, not a WordPress export"),
        ("<!DOCTYPE html><html><body>Hello</body></html>", "This is a web page (HTML)"),
        ("", "The file is empty"),
        ("just some text", "not a Blogger or WordPress export"),
    ],
)  # fmt: skip
def test_a_file_that_is_not_an_export_gets_one_sentence(db, write_file, text, says):
    assert says in refused(write_file, text)


def test_the_wrong_command_names_the_right_one(db, write_file):
    message = refused(write_file, takeout(takeout_entry(1)), command="import_wordpress")
    assert "use import_blogger" in message


def test_an_atom_feed_that_is_not_blogger(db, write_file):
    text = '<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>1</id></entry></feed>'
    assert "Atom feed, not a Blogger export" in refused(write_file, text, "import_blogger")


def test_the_real_blogger_export_without_its_thread_namespace_is_mended(db, write_file):
    from .conftest import real_export

    text = real_export("blogger-export-2012.xml").read_text()
    broken = text.replace(" xmlns:thr='http://purl.org/syndication/thread/1.0'", "", 1)
    assert broken != text
    out = run("import_blogger", write_file(broken))
    assert "Mended: Declared the namespace prefix 'thr:'" in out
    assert "All 111 entries of the file are accounted for." in out
    assert Post.objects.get(title="Ten Best and Worst of 2010").comment_count == 1


@pytest.mark.parametrize(
    "data, says",
    [
        (b"PK\x03\x04" + b"\x00" * 40, "This is a ZIP archive"),
        (b"\x1f\x8b\x08\x00" + b"\x00" * 40, "compressed (gzip)"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40, "not a text file"),
    ],
)  # fmt: skip
def test_an_archive_or_a_binary_file_says_what_to_do(db, write_file, data, says):
    assert says in refused(write_file, data, command="import_blogger")


def test_a_folder_given_for_the_file_says_so(db, tmp_path):
    with pytest.raises(CommandError, match="is a folder: name the export file in it"):
        run("import_blogger", tmp_path)


def test_an_import_stopped_with_ctrl_c_says_what_is_left_and_how_to_finish(
    db, write_file, monkeypatch
):
    from interchange import loader

    taken = []
    real_take = loader.Loader.take

    def take_then_stop(self, record):
        if len(taken) == 3:
            raise KeyboardInterrupt
        taken.append(record)
        return real_take(self, record)

    monkeypatch.setattr(loader.Loader, "take", take_then_stop)
    path = write_file(wxr(*(wxr_item(n) for n in range(1, 6))))
    with pytest.raises(CommandError, match="run the same import again to finish it"):
        run("import_wordpress", path)
    monkeypatch.undo()
    out = run("import_wordpress", path)
    assert Post.objects.count() == 5 and "created" in ledger_line(out, "posts")
