import re

import pytest
from django.conf import settings

from blog.embeds import find_embed
from blog.rendering import render_markdown, summarize

XSS_BODIES = [
    "<script>alert('x')</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](java&#x09;script:alert(1))",
    "<javascript:alert(1)>",
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="&#106;avascript:alert(1)">click</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;:alert(1)">click</a>',
    '<a href="jav&#x09;ascript:alert(1)">click</a>',
    '<a href=" javascript:alert(1)">click</a>',
    '<img src="x.png" onerror="alert(1)">',
    "<img src=x.png onerror=alert(1)>",
    '![x](x.png "a" onerror="alert(1)")',
    '<p onclick="alert(1)" onmouseover="alert(2)">text</p>',
    '<iframe src="https://evil.example"></iframe>',
    '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"></iframe>',
    "<style>body { display: none }</style>",
    '<svg onload="alert(1)"></svg>',
    '<svg><script>alert(1)</script><a xlink:href="javascript:alert(1)">x</a></svg>',
    '<math><mtext><img src=x onerror="alert(1)"></mtext></math>',
    '<form action="https://evil.example"><input name="p"></form>',
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![data](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<a href="vbscript:msgbox(1)">click</a>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<img src="javascript:alert(1)">',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<base href="https://evil.example/">',
]


def tags(html):
    """The markup alone: text such as "javascript:alert(1)" shown to the reader is harmless."""
    return " ".join(re.findall(r"<[^>]*>", html))


@pytest.mark.parametrize("body", XSS_BODIES)
def test_nothing_that_can_run_script_survives(body):
    html = render_markdown(f"Before.\n\n{body}\n\nAfter.").lower()
    assert "<script" not in html
    assert not re.search(r'(href|src|srcset)="\s*(javascript|vbscript|data):', html)
    for needle in ("<script", "javascript:", "vbscript:", "data:", " on", "<iframe", "<style",
                   "<svg", "<math", "<form", "<object", "<embed", "style=", "<meta",
                   "<base", "xlink"):  # fmt: skip
        assert needle not in tags(html), f"{needle!r} left in {html!r}"
    assert "before." in html and "after." in html


def test_an_input_an_author_writes_can_only_be_a_checkbox_that_does_nothing():
    html = render_markdown('<input type="text" name="card" value="4111" autofocus>')
    # The sanitiser writes forced attributes in no fixed order (a Rust HashMap's).
    assert html in (
        '<input disabled="disabled" type="checkbox">',
        '<input type="checkbox" disabled="disabled">',
    )


def test_script_content_is_dropped_not_shown_as_text():
    assert "alert" not in render_markdown("<script>alert('x')</script>")


def test_the_link_text_survives_when_a_bad_href_is_removed():
    assert render_markdown("[click](javascript:alert(1))") == '<p><a rel="noopener">click</a></p>'


def test_ordinary_markdown_survives_sanitising():
    html = render_markdown(
        "## A heading\n\n"
        "Some *emphasis*, **strength**, `code` and a [link](https://example.com/a?b=c).\n\n"
        "> A quotation\n\n"
        "- one\n- two\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        "![A cat](/media/cat.png)\n\n"
        "[mail](mailto:me@example.com)\n"
    )
    assert '<h2 id="a-heading">A heading</h2>' in html
    assert "<em>emphasis</em>" in html and "<strong>strength</strong>" in html
    assert "<code>code</code>" in html
    assert 'href="https://example.com/a?b=c"' in html
    assert "<blockquote>" in html
    assert "<li>one</li>" in html
    assert "<table>" in html and "<td>1</td>" in html
    assert '<img src="/media/cat.png" alt="A cat">' in html
    assert 'href="mailto:me@example.com"' in html


# --- CommonMark ---------------------------------------------------------------------------

COMMONMARK = [
    # Spec examples, with the HTML CommonMark gives for them.
    ("Foo *bar*\n=========", '<h1 id="foo-bar">Foo <em>bar</em></h1>'),
    ("*foo`*`", "<p>*foo<code>*</code></p>"),
    ("**foo*", "<p>*<em>foo</em></p>"),
    ("foo\\\nbar", "<p>foo<br>\nbar</p>"),
    ("foo  \nbar", "<p>foo<br>\nbar</p>"),
    ("\\*not emphasized*", "<p>*not emphasized*</p>"),
    ("snake_case_name", "<p>snake_case_name</p>"),
    ("1. one\n1. two", "<ol>\n<li>one</li>\n<li>two</li>\n</ol>"),
    ("3. three\n4. four", '<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>'),
    ("- a\n* b", "<ul>\n<li>a</li>\n</ul>\n<ul>\n<li>b</li>\n</ul>"),
    ("> a\n> > b", "<blockquote>\n<p>a</p>\n<blockquote>\n<p>b</p>\n</blockquote>\n</blockquote>"),
    ("[link](</my uri>)", '<p><a href="/my%20uri" rel="noopener">link</a></p>'),
    ('[a][ref]\n\n[ref]: /url "title"', '<p><a href="/url" title="title" rel="noopener">a</a></p>'),
    ("&copy; &#35; &amp;", "<p>© # &amp;</p>"),
    ("***", "<hr>"),
]


@pytest.mark.parametrize(("markdown", "html"), COMMONMARK)
def test_commonmark(markdown, html):
    assert render_markdown(markdown) == html


def test_a_list_may_start_right_after_a_paragraph():
    assert render_markdown("Shopping:\n- milk\n- eggs") == (
        "<p>Shopping:</p>\n<ul>\n<li>milk</li>\n<li>eggs</li>\n</ul>"
    )


def test_quotes_dashes_and_ellipses_are_typographic_but_code_is_left_alone():
    html = render_markdown('"Yes" -- it\'s \'done\' --- nearly... `"raw" -- ...`')
    assert html == ('<p>“Yes” – it’s ‘done’ — nearly… <code>"raw" -- ...</code></p>')


def test_copyright_signs_and_double_dots_are_not_invented():
    assert render_markdown("Options (a), (b), (c) and (r); a..b") == (
        "<p>Options (a), (b), (c) and (r); a..b</p>"
    )


def test_headings_get_the_ids_old_posts_were_linked_by():
    html = render_markdown("# Café au lait\n\n## It's *new*\n\n## It's *new*\n\n## Own {#mine}")
    assert '<h1 id="cafe-au-lait">Café au lait</h1>' in html
    assert '<h2 id="its-new">It’s <em>new</em></h2>' in html
    assert '<h2 id="its-new_1">It’s <em>new</em></h2>' in html
    assert '<h2 id="mine">Own</h2>' in html


def test_a_heading_with_no_latin_letters_still_gets_an_id():
    assert re.fullmatch(r'<h2 id="_1">日本語</h2>', render_markdown("## 日本語"))


def test_links_get_noopener():
    assert 'rel="noopener"' in render_markdown("[x](https://example.com)")


def test_fenced_code_is_highlighted_and_escaped():
    html = render_markdown("```python\nif a < b: print('<b>')\n```")
    assert '<div class="highlight">' in html
    assert '<span class="k">if</span>' in html
    assert "&lt;b&gt;" in html
    assert "<b>" not in html


def test_code_in_an_unknown_language_is_shown_plain():
    html = render_markdown("```klingon\n<qapla'>\n```")
    assert html.startswith('<div class="highlight"><pre tabindex="0">')
    assert "&lt;qapla'&gt;" in html


def test_an_indented_block_may_name_its_language_as_before():
    html = render_markdown("Text\n\n    :::python\n    x = 1")
    assert ":::python" not in html
    assert '<span class="n">x</span>' in html


def test_code_blocks_keep_their_indentation_and_can_be_scrolled_by_keyboard():
    html = render_markdown("```python\ndef f():\n    return 1\n```")
    assert '<pre tabindex="0">' in html
    assert "    " in html  # indentation kept for the stylesheet's white-space: pre


def test_definition_lists_still_work():
    assert render_markdown("Term\n: Definition") == (
        "<dl>\n<dt>Term</dt>\n<dd>Definition</dd>\n</dl>"
    )


def test_imported_html_is_kept_whole_even_across_blank_lines():
    body = '<div class="imported">\n<p>One</p>\n\ntext *not* emphasis\n\n    not code\n</div>'
    assert render_markdown(body) == body


def test_unicode_survives():
    html = render_markdown("# Café 日本語\n\nÜber «quotes» — 🙂")
    assert "Café 日本語" in html
    assert "Über «quotes» — 🙂" in html


def test_empty_and_very_long_bodies():
    assert render_markdown("") == ""
    assert render_markdown("   \n\n  ") == ""
    long = "word " * 50_000 + "\n\n" + "> " * 15 + "deep"
    html = render_markdown(long)
    assert html.count("word") == 50_000 and "deep" in html
    # Past 20 levels markdown-it stops nesting (its guard against runaway input), without error.
    assert render_markdown("> " * 500 + "deep\n\nafter").endswith("<p>after</p>")


# --- GitHub's extensions ------------------------------------------------------------------


def test_tables_keep_their_column_alignment():
    html = render_markdown("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |")
    assert '<th class="align-left">a</th>' in html
    assert '<td class="align-center">2</td>' in html
    assert '<td class="align-right">3</td>' in html
    assert "style" not in html


def test_strikethrough():
    assert render_markdown("~~gone~~ stays") == "<p><s>gone</s> stays</p>"


def test_bare_addresses_become_links_as_on_github():
    html = render_markdown("See https://example.com/a_(b), www.example.org and ada@example.com.")
    assert (
        '<a href="https://example.com/a_(b)" rel="noopener">https://example.com/a_(b)</a>' in html
    )
    assert '<a href="http://www.example.org" rel="noopener">www.example.org</a>' in html
    assert '<a href="mailto:ada@example.com" rel="noopener">ada@example.com</a>' in html


def test_file_names_that_look_like_domains_are_not_links():
    html = render_markdown("Read README.md, then run node.js on example.com.")
    assert "<a" not in html


def test_an_address_in_code_is_not_a_link():
    assert "<a" not in render_markdown("`https://example.com`")


def test_task_lists_show_checkboxes_that_cannot_be_changed():
    html = render_markdown("- [ ] write\n- [x] edit\n- plain")
    assert '<ul class="contains-task-list">' in html
    assert html.count('<li class="task-list-item"><label><input') == 2
    boxes = re.findall(r"<input[^>]*>", html)
    assert len(boxes) == 2 and all('disabled="disabled"' in box for box in boxes)
    assert 'checked="checked"' not in boxes[0] and 'checked="checked"' in boxes[1]
    assert "> write</label>" in html and "> edit</label>" in html
    assert "<li>plain</li>" in html


def test_footnotes_keep_their_in_page_links():
    html = render_markdown("Text[^1] and[^note], again[^1].\n\n[^1]: The note.\n[^note]: *Two*.")
    assert '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1" rel="noopener">1</a></sup>' in (
        html
    )
    assert '<sup id="fnref2:1"><a class="footnote-ref" href="#fn:1"' in html
    assert '<li id="fn:1">' in html and '<li id="fn:note">' in html
    assert 'href="#fnref:note"' in html and "<em>Two</em>" in html
    assert html.index('<div class="footnote">') > html.index("again")


def test_a_footnote_never_referenced_is_left_out():
    assert "footnote" not in render_markdown("Text.\n\n[^1]: Unused.")


# --- Embeds -------------------------------------------------------------------------------

VIDEO = "dQw4w9WgXcQ"


@pytest.mark.parametrize(
    ("url", "frame", "link"),
    [
        (f"https://www.youtube.com/watch?v={VIDEO}",
         f"https://www.youtube-nocookie.com/embed/{VIDEO}",
         f"https://www.youtube.com/watch?v={VIDEO}"),
        (f"https://youtu.be/{VIDEO}?t=1m30s",
         f"https://www.youtube-nocookie.com/embed/{VIDEO}?start=90",
         f"https://www.youtube.com/watch?v={VIDEO}&amp;t=90s"),
        (f"https://m.youtube.com/watch?feature=share&v={VIDEO}",
         f"https://www.youtube-nocookie.com/embed/{VIDEO}",
         f"https://www.youtube.com/watch?v={VIDEO}"),
        (f"https://www.youtube.com/shorts/{VIDEO}",
         f"https://www.youtube-nocookie.com/embed/{VIDEO}",
         f"https://www.youtube.com/watch?v={VIDEO}"),
        (f"https://www.youtube.com/live/{VIDEO}",
         f"https://www.youtube-nocookie.com/embed/{VIDEO}",
         f"https://www.youtube.com/watch?v={VIDEO}"),
        (f"www.youtube.com/watch?v={VIDEO}",
         f"https://www.youtube-nocookie.com/embed/{VIDEO}",
         f"https://www.youtube.com/watch?v={VIDEO}"),
        ("https://vimeo.com/76979871",
         "https://player.vimeo.com/video/76979871?dnt=1",
         "https://vimeo.com/76979871"),
        ("https://vimeo.com/76979871/8a9b7c6d5e",
         "https://player.vimeo.com/video/76979871?dnt=1&amp;h=8a9b7c6d5e",
         "https://vimeo.com/76979871/8a9b7c6d5e"),
        ("https://vimeo.com/channels/staffpicks/76979871",
         "https://player.vimeo.com/video/76979871?dnt=1",
         "https://vimeo.com/76979871"),
        ("https://player.vimeo.com/video/76979871?h=8a9b7c6d5e",
         "https://player.vimeo.com/video/76979871?dnt=1&amp;h=8a9b7c6d5e",
         "https://vimeo.com/76979871/8a9b7c6d5e"),
    ],
)  # fmt: skip
def test_a_bare_video_link_on_its_own_line_is_embedded_in_privacy_mode(url, frame, link):
    html = render_markdown(f"Before.\n\n{url}\n\nAfter.")
    assert html.startswith('<p>Before.</p>\n<figure class="embed')
    assert f'<iframe src="{frame}"' in html
    assert 'loading="lazy"' in html and 'title="' in html
    assert 'referrerpolicy="strict-origin-when-cross-origin"' in html
    assert f'<figcaption><a href="{link}">Watch on ' in html
    assert "style=" not in html
    frame_host = re.match(r"https://[^/]+", frame).group(0)
    assert frame_host in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["frame-src"]


def test_a_short_is_shown_upright():
    html = render_markdown(f"https://youtube.com/shorts/{VIDEO}")
    assert '<figure class="embed embed-portrait">' in html


def test_the_same_link_written_as_an_autolink_or_with_itself_as_text_is_embedded():
    for body in (
        f"<https://youtu.be/{VIDEO}>",
        f"[https://youtu.be/{VIDEO}](https://youtu.be/{VIDEO})",
    ):
        assert "<iframe" in render_markdown(body)


@pytest.mark.parametrize(
    "body",
    [
        f"Watch https://youtu.be/{VIDEO} tonight.",
        f"[my talk](https://youtu.be/{VIDEO})",
        f"- https://youtu.be/{VIDEO}",
        f"> https://youtu.be/{VIDEO} and more",
        "https://www.dailymotion.com/video/x7tgad0",
        "https://evil.example/watch?v=dQw4w9WgXcQ",
        "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        "https://evil.example/?u=https://youtu.be/dQw4w9WgXcQ",
        "https://user@youtube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com/watch?v=short",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ12",
        "https://vimeo.com/not-a-number",
        "https://vimeo.com/123/../../evil",
        "https://vimeo.com/123/zzzzzzzz",
        "`https://youtu.be/dQw4w9WgXcQ`",
    ],
)
def test_other_links_stay_links(body):
    assert "<iframe" not in render_markdown(body)


@pytest.mark.parametrize(
    "url",
    [
        'https://www.youtube.com/watch?v=dQw4w9WgX"><script>alert(1)</script>',
        "https://www.youtube.com/watch?v=dQw4w9WgX%22%3E%3Cscript%3E",
        "https://www.youtube.com/watch?v=<svg/onload=alert(1)>",
        "https://www.youtube.com/embed/dQw4w9WgXcQ%2F..%2F..%2Fevil",
        "https://youtu.be/dQw4w9WgXcQ/../../evil",
        'https://vimeo.com/1234?h="onload=alert(1)',
        "https://player.vimeo.com/video/1234?h=abc%22onload%3D",
        'https://www.youtube.com/watch?v=dQw4w9WgXcQ&t="><script>',
        "https://www.youtube.com:8443/watch?v=dQw4w9WgXcQ",
        "javascript://www.youtube.com/watch?v=dQw4w9WgXcQ",
    ],
)
def test_hostile_video_addresses_give_no_frame_and_nothing_that_runs(url):
    html = render_markdown(url).lower()
    assert "<script" not in html and not re.search(r"\son\w+=", tags(html))
    frames = re.findall(r'<iframe src="([^"]*)"', html)
    for frame in frames:  # a frame is only ever built from a checked id
        assert re.fullmatch(
            r"https://www\.youtube-nocookie\.com/embed/[a-z0-9_-]{11}(\?start=\d+)?", frame
        ), frame


def test_a_start_time_that_is_not_a_time_is_dropped():
    embed = find_embed(f"https://youtu.be/{VIDEO}?t=soon")
    assert embed.frame_url == f"https://www.youtube-nocookie.com/embed/{VIDEO}"


def test_two_videos_have_frames_of_different_titles():
    html = render_markdown(f"https://youtu.be/{VIDEO}\n\nhttps://vimeo.com/76979871")
    titles = re.findall(r'<iframe[^>]* title="([^"]+)"', html)
    assert len(titles) == 2 and len(set(titles)) == 2


# --- Summaries ----------------------------------------------------------------------------


def test_summarize_strips_tags_and_counts_words():
    assert summarize("<p>One <em>two</em></p>\n<p>three</p>", words=2) == "One two…"
    assert summarize("<p>Short.</p>") == "Short."


def test_a_video_adds_no_words_to_the_summary():
    assert summarize(render_markdown(f"https://youtu.be/{VIDEO}\n\nThe talk.")) == "The talk."


def test_summary_is_plain_text_so_arrows_and_ampersands_are_not_escaped_twice(client, post_factory):
    post = post_factory(body="Input -> output, salt & pepper, 3 < 4.")
    assert post.summary == "Input -> output, salt & pepper, 3 < 4."
    response = client.get("/")
    assert b"Input -&gt; output, salt &amp; pepper, 3 &lt; 4." in response.content
    assert b"&amp;gt;" not in response.content
