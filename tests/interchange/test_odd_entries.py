"""Odd but real entries: emoji, right-to-left text, invisible marks, no title, broken dates."""

import re
from unittest import mock

from django.core.validators import validate_unicode_slug
from taggit.models import Tag

from blog.models import Post
from comments.xtd import XtdComment

from .conftest import ledger_line, run, takeout, takeout_entry, wxr, wxr_comment, wxr_item


def test_slugs_stay_valid_and_unique_whatever_the_title(db, write_file, client):
    items = [
        wxr_item(1, title="🎉🎉", slug=""),
        wxr_item(2, title="שלום עולם", slug="%d7%a9%d7%9c%d7%95%d7%9d"),
        wxr_item(3, title="Zero\u200bwidth\u200f title", slug=""),
        wxr_item(4, title="Same", slug="same"),
        wxr_item(5, title="Same", slug="same"),
        wxr_item(6, title="", slug=""),
    ]
    out = run("import_wordpress", write_file(wxr(*items)))
    assert ledger_line(out, "posts") == "6 in the file: 6 created"
    slugs = list(Post.objects.order_by("id").values_list("slug", flat=True))
    for slug in slugs:
        validate_unicode_slug(slug)
    assert len(set(slugs)) == 6
    assert slugs[0] == "tadatada" or slugs[0].startswith("tada")
    assert slugs[1] == "שלום"
    assert slugs[2] == "zerowidth-title"
    assert slugs[3:5] == ["same", "same-2"]
    for post in Post.objects.all():
        assert client.get(post.get_absolute_url()).status_code == 200
    assert "had no title: named after its first words" in out
    assert Post.objects.get(slug=slugs[5]).title == "Hello there."


def test_entities_and_cdata_in_titles(db, write_file):
    text = wxr(wxr_item(1, title="Tom &amp;amp; Jerry&#8217;s <![CDATA[<b>best</b>]]> day"))
    run("import_wordpress", write_file(text))
    assert Post.objects.get().title == "Tom & Jerry’s best day"


def test_labels_with_no_letter_or_digit_get_a_valid_slug(db, write_file, client):
    item = wxr_item(1, categories=[("post_tag", "%f0%9f%99%82", "🙂"), ("category", "c", "C++")])
    run("import_wordpress", write_file(wxr(item)))
    for tag in Tag.objects.all():
        assert re.fullmatch(r"[-\w]+", tag.slug)
        assert client.get(f"/tag/{tag.slug}/").status_code == 200
    assert set(Post.objects.get().tags.names()) == {"🙂", "C++"}


def test_a_broken_date_is_read_and_listed(db, write_file):
    path = write_file(takeout(takeout_entry(1, published="yesterday-ish")))
    out = run("import_blogger", path)
    assert "broken date 'yesterday-ish'" in out
    assert Post.objects.get().published_at is not None


def test_two_entries_that_share_an_id_are_both_kept_and_reported(db, write_file):
    text = wxr(wxr_item(7, title="First"), wxr_item(7, title="Second", slug="second"))
    out = run("import_wordpress", write_file(text))
    assert set(Post.objects.values_list("title", flat=True)) == {"First", "Second"}
    assert "shares its id with an earlier post: kept too" in out
    again = run("import_wordpress", write_file(text))
    assert Post.objects.count() == 2 and ledger_line(again, "posts") == "2 in the file: 2 unchanged"


def test_a_bad_entry_is_reported_and_the_rest_goes_in(db, write_file):
    from interchange.loader import Loader

    real = Loader.post_fields

    def fail_on_two(self, record, *args):
        if record.original_id == "2":
            raise ValueError("the database said no")
        return real(self, record, *args)

    with mock.patch.object(Loader, "post_fields", fail_on_two):
        out = run("import_wordpress", write_file(wxr(wxr_item(1), wxr_item(2), wxr_item(3))))
    assert ledger_line(out, "posts") == "3 in the file: 2 created, 1 failed"
    assert "post 'Post 2' (2): failed, not imported: the database said no" in out
    assert sorted(Post.objects.values_list("title", flat=True)) == ["Post 1", "Post 3"]
    # The first line says so: a writer reads "finished" and stops reading.
    assert out.splitlines()[0].startswith("Import finished, but 1 entry failed")


def test_a_newer_export_updates_comments_and_adds_new_ones(db, write_file):
    run("import_wordpress", write_file(wxr(wxr_item(1, comments=wxr_comment(1, approved="0")))))
    newer = wxr(wxr_item(1, comments=wxr_comment(1) + wxr_comment(2, parent=1)))
    out = run("import_wordpress", write_file(newer))
    assert ledger_line(out, "comments") == "2 in the file: 1 created, 1 updated"
    assert XtdComment.objects.filter(is_public=True).count() == 2
    assert Post.objects.get().comment_count == 2


def test_videos_embedded_as_frames_stay_videos_and_other_frames_go(db, write_file, client):
    body = (
        '<p>Before.</p><iframe width="560" height="315" '
        'src="//www.youtube.com/embed/dQw4w9WgXcQ?start=90" frameborder="0"></iframe>'
        '<iframe src="https://player.vimeo.com/video/76979871" width="640"></iframe>'
        '<iframe src="https://evil.example.com/x"></iframe><p>After.</p>'
    )
    run("import_wordpress", write_file(wxr(wxr_item(1, body=body))))
    html = Post.objects.get().body_html
    assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=90"' in html
    assert 'src="https://player.vimeo.com/video/76979871?dnt=1"' in html
    assert "evil.example.com" not in html
    assert "Before." in html and "After." in html


def test_the_direction_and_language_of_imported_text_are_kept(db, write_file):
    body = '<div dir="rtl" lang="he">שלום עולם</div><p dir="auto">mixed</p>'
    run("import_wordpress", write_file(wxr(wxr_item(1, body=body))))
    html = Post.objects.get().body_html
    assert '<div dir="rtl" lang="he">שלום עולם</div>' in html
    assert '<p dir="auto">mixed</p>' in html


def test_wordpress_captions_embeds_and_the_more_break_read_as_they_showed(db, write_file, client):
    body = (
        "An opening line, *with stars*.\n\n<!--more-->\n\nThe rest of the post.\n\n"
        '[caption id="attachment_5" align="aligncenter" width="300"]<a href="/big.jpg">'
        '<img src="https://old.example.com/small.jpg" alt="A dog" /></a> My dog, asleep[/caption]'
        '\n\n[embed]https://www.youtube.com/watch?v=dQw4w9WgXcQ[/embed]\n\n[gallery ids="1,2"]'
    )
    run("import_wordpress", write_file(wxr(wxr_item(1, body=body))))
    post = Post.objects.get()
    assert "<figcaption>My dog, asleep</figcaption>" in post.body_html
    assert "[caption" not in post.body_html and "[/caption]" not in post.body_html
    assert "youtube-nocookie.com/embed/dQw4w9WgXcQ" in post.body_html
    # Its images are not in the file: kept as written, for the author to mend.
    assert '[gallery ids="1,2"]' in post.body_html
    assert post.summary == "An opening line, *with stars*."
    home = client.get("/").content.decode()
    assert "An opening line, *with stars*." in home and "The rest of the post" not in home


def test_a_blogger_jump_break_makes_the_teaser(db, write_file):
    body = (
        "&lt;p&gt;Before the break.&lt;/p&gt;&lt;a name='more'&gt;&lt;/a&gt;"
        "&lt;p&gt;After it.&lt;/p&gt;"
    )
    run("import_blogger", write_file(takeout(takeout_entry(1, body=body))))
    assert Post.objects.get().summary == "Before the break."


def test_every_value_that_does_not_fit_is_said_in_the_ledger(db, write_file):
    long_name, long_email = "N" * 300, "e" * 300 + "@example.com"
    comment = wxr_comment(1, author=long_name).replace("r1@example.com", long_email)
    comment = comment.replace("https://r1.example.com/", "https://example.com/" + "u" * 300)
    undated = wxr_comment(2).replace(
        "<wp:comment_date_gmt>2020-05-03 10:00:00</wp:comment_date_gmt>", ""
    )
    item = wxr_item(1, title="T" * 1201, comments=comment + undated)
    item = item.replace(
        "<wp:post_date>2020-04-05 10:00:00</wp:post_date>",
        "<wp:post_date>2023-02-30 10:00:00</wp:post_date>",
    )
    item = item.replace(
        "<wp:post_date_gmt>2020-04-05 10:00:00</wp:post_date_gmt>",
        "<wp:post_date_gmt>2023-02-30 10:00:00</wp:post_date_gmt>",
    )
    item = item.replace("<link>", "<pubDate>Sun, 05 Apr 2020 10:00:00 +0000</pubDate><link>", 1)
    out = run("import_wordpress", write_file(wxr(item)))
    assert "its title cut to 200 characters" in out
    assert "broken date '2023-02-30 10:00:00': dated by its pubDate" in out
    assert "its author's name cut to 50 characters" in out
    assert "its email address, longer than 254 characters, left out" in out
    assert "its website, longer than 200 characters, left out" in out
    assert "it has no date: dated at the import" in out
    first = XtdComment.objects.get(user_name="N" * 50)
    assert first.user_email == "" and first.user_url == ""
    assert Post.objects.get().published_at.year == 2020


def test_a_title_about_html_keeps_its_words_and_loses_only_its_markup(db, write_file):
    items = [
        wxr_item(1, title="The &lt;canvas&gt; element &amp; &lt;template&gt; in Vue"),
        wxr_item(2, title="&lt;em&gt;Slow&lt;/em&gt; mornings"),
    ]
    run("import_wordpress", write_file(wxr(*items)))
    titles = set(Post.objects.values_list("title", flat=True))
    assert titles == {"The <canvas> element & <template> in Vue", "Slow mornings"}
    blogger = takeout(
        takeout_entry(3, title="Why &amp;lt;div&amp;gt; soup is bad: use &amp;lt;section&amp;gt;")
    )
    run("import_blogger", write_file(blogger))
    assert Post.objects.filter(title="Why <div> soup is bad: use <section>").exists()


def test_classic_paragraphs_become_paragraphs_whatever_html_the_text_holds(db, write_file):
    bodies = [
        "First para.\n\nSecond para.\n\n[embed]https://www.youtube.com/watch?v=dQw4w9WgXcQ[/embed]",
        'Para one.\n\n<p style="text-align:center">centered</p>\n\nPara three.',
        "<!-- wp:paragraph -->\n<p>Block one.</p>\n<!-- /wp:paragraph -->\n\n"
        "<!-- wp:paragraph -->\n<p>Block two.</p>\n<!-- /wp:paragraph -->",
    ]
    items = [wxr_item(n, body=body) for n, body in enumerate(bodies, start=1)]
    run("import_wordpress", write_file(wxr(*items)))
    html = {post.title: post.body_html for post in Post.objects.all()}
    assert "<p>First para.</p>" in html["Post 1"] and "<p>Second para.</p>" in html["Post 1"]
    assert "youtube-nocookie.com/embed/dQw4w9WgXcQ" in html["Post 1"]
    assert "<p>Para one.</p>" in html["Post 2"] and "<p>Para three.</p>" in html["Post 2"]
    assert "centered</p>" in html["Post 2"]
    assert html["Post 3"].count("<p>Block") == 2 and "<p><!--" not in html["Post 3"]


def test_a_comments_links_and_quotes_keep_their_addresses_and_breaks(db, write_file, client):
    text = (
        'Looks delicious! <a href="https://maria.example/receitas">My version</a>'
        "<blockquote>Use less sugar.</blockquote>Thanks!"
    )
    item = wxr_item(1, comments=wxr_comment(1, text=text))
    run("import_wordpress", write_file(wxr(item)))
    comment = XtdComment.objects.get()
    assert comment.comment == (
        "Looks delicious! My version (https://maria.example/receitas)\nUse less sugar.\nThanks!"
    )
    page = client.get(Post.objects.get().get_absolute_url()).content.decode()
    assert 'href="https://maria.example/receitas"' in page


def test_a_category_and_a_tag_with_one_slug_each_keep_their_own_address(db, write_file, client):
    item = wxr_item(
        1, categories=[("category", "travel", "Travel"), ("post_tag", "travel", "travel stories")]
    )
    run("import_wordpress", write_file(wxr(item)))
    category = Tag.objects.get(name="Travel")
    assert client.get("/category/travel/")["Location"] == f"/tag/{category.slug}/"
    assert client.get("/category/travel/feed/")["Location"] == f"/tag/{category.slug}/feed/"


def test_a_link_to_a_post_whose_address_is_unchanged_loses_only_the_old_host(db, write_file):
    body = 'See <a href="https://old.example.com/2020/04/post-2/">the other one</a>.'
    second = wxr_item(2, link="https://old.example.com/2020/04/post-2/")  # /%year%/%monthnum%/
    run("import_wordpress", write_file(wxr(wxr_item(1, body=body), second)))
    second = Post.objects.get(title="Post 2")
    assert f'href="{second.get_absolute_url()}"' in Post.objects.get(title="Post 1").body_html


def test_links_between_posts_of_a_takeout_file_which_names_no_blog_are_rewritten(db, write_file):
    body = (
        "Before: &lt;a href='https://wanderlust-notes.blogspot.com/2020/03/post-2.html'&gt;"
        "the rain&lt;/a&gt;, and &lt;a href='https://other.blogspot.com/2020/03/elsewhere.html'"
        "&gt;a friend&lt;/a&gt;."
    )
    run("import_blogger", write_file(takeout(takeout_entry(1, body=body), takeout_entry(2))))
    html = Post.objects.get(title="Post 1").body_html
    assert f'href="{Post.objects.get(title="Post 2").get_absolute_url()}"' in html
    assert "https://other.blogspot.com/2020/03/elsewhere.html" in html
