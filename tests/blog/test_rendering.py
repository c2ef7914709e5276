import pytest

from blog.rendering import render_markdown, summarize

XSS_BODIES = [
    "<script>alert('x')</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "[click](javascript:alert(1))",
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="&#106;avascript:alert(1)">click</a>',
    '<a href=" javascript:alert(1)">click</a>',
    '<img src="x.png" onerror="alert(1)">',
    '<p onclick="alert(1)" onmouseover="alert(2)">text</p>',
    '<iframe src="https://evil.example"></iframe>',
    "<style>body { display: none }</style>",
    '<svg onload="alert(1)"></svg>',
    '<form action="https://evil.example"><input name="p"></form>',
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="vbscript:msgbox(1)">click</a>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<img src="javascript:alert(1)">',
]


@pytest.mark.parametrize("body", XSS_BODIES)
def test_nothing_that_can_run_script_survives(body):
    html = render_markdown(f"Before.\n\n{body}\n\nAfter.").lower()
    for needle in ("<script", "javascript:", "vbscript:", "data:", " on", "<iframe", "<style",
                   "<svg", "<form", "<input", "<object", "<embed"):  # fmt: skip
        assert needle not in html, f"{needle!r} left in {html!r}"
    assert "before." in html and "after." in html


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
    assert '<img alt="A cat" src="/media/cat.png">' in html
    assert 'href="mailto:me@example.com"' in html


def test_links_get_noopener():
    assert 'rel="noopener"' in render_markdown("[x](https://example.com)")


def test_fenced_code_is_highlighted_and_escaped():
    html = render_markdown("```python\nif a < b: print('<b>')\n```")
    assert '<div class="highlight">' in html
    assert "&lt;b&gt;" in html
    assert "<b>" not in html


def test_footnotes_keep_their_in_page_links():
    html = render_markdown("Text[^1]\n\n[^1]: The note.")
    assert 'href="#fn:1"' in html
    assert 'id="fn:1"' in html


def test_unicode_survives():
    html = render_markdown("# Café 日本語\n\nÜber «quotes» — 🙂")
    assert "Café 日本語" in html
    assert "Über «quotes» — 🙂" in html


def test_summarize_strips_tags_and_counts_words():
    assert summarize("<p>One <em>two</em></p>\n<p>three</p>", words=2) == "One two…"
    assert summarize("<p>Short.</p>") == "Short."


def test_summary_is_plain_text_so_arrows_and_ampersands_are_not_escaped_twice(client, post_factory):
    post = post_factory(body="Input -> output, salt & pepper, 3 < 4.")
    assert post.summary == "Input -> output, salt & pepper, 3 < 4."
    response = client.get("/")
    assert b"Input -&gt; output, salt &amp; pepper, 3 &lt; 4." in response.content
    assert b"&amp;gt;" not in response.content


def test_code_blocks_keep_their_indentation_and_can_be_scrolled_by_keyboard():
    html = render_markdown("```python\ndef f():\n    return 1\n```")
    assert '<pre tabindex="0">' in html
    assert "    " in html  # indentation kept for the stylesheet's white-space: pre
