"""Comments are plain text: nothing a commenter types becomes markup on the page."""

from html.parser import HTMLParser

import pytest
from django.utils.html import escape

from comments.rendering import comment_text
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

SAFE_TAGS = {"ol", "li", "article", "p", "span", "a", "time", "div", "br"}


class TagCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def test_text_keeps_paragraphs_and_line_breaks():
    assert comment_text("one\ntwo\n\nthree") == "<p>one<br>two</p>\n<p>three</p>"


def test_links_become_clickable_with_nofollow_ugc_noopener():
    html = comment_text("see https://example.com/a?b=1&c=2 please")
    assert (
        '<a rel="nofollow ugc noopener" href="https://example.com/a?b=1&amp;c=2">'
        "https://example.com/a?b=1&amp;c=2</a>"
    ) in html


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert('x')</script>",
        '<img src=x onerror="alert(1)">',
        '<a href="javascript:alert(1)">click</a>',
        "javascript:alert(1)",
        '"><svg onload=alert(1)>',
        'https://example.com/"onmouseover="alert(1)',
    ],
)
def test_hostile_comment_text_is_escaped_on_the_page(client, post, hostile):
    CommentFactory(post=post, text=hostile, name=hostile)
    page = client.get(post.get_absolute_url()).content.decode()
    thread = page[page.index('<ol class="comment-list">') : page.index('id="post-a-comment"')]
    parser = TagCollector()
    parser.feed(thread)
    assert {tag for tag, _attrs in parser.tags} <= SAFE_TAGS
    for _tag, attrs in parser.tags:
        assert not [name for name, _value in attrs if name.startswith("on")]
        assert not [v for n, v in attrs if n == "href" and not v.startswith(("#", "/", "http"))]
    assert escape(hostile) in thread  # Shown to the reader as the text it was.


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>", "ftp://x.example"],
)
def test_website_field_refuses_anything_but_http(client, post, post_comment, url):
    response = post_comment(post, url=url)
    assert response.status_code in (200, 400)
    assert "Enter a valid URL." in response.content.decode()


def test_stored_non_http_website_is_never_linked(client, post):
    CommentFactory(post=post, url="javascript:alert(1)", name="Mallory")
    page = client.get(post.get_absolute_url()).content.decode()
    assert "javascript:alert" not in page
    assert "Mallory" in page


def test_website_is_linked_with_rel_attributes(client, post):
    CommentFactory(post=post, url="https://ada.example/", name="Ada")
    page = client.get(post.get_absolute_url()).content.decode()
    assert '<a href="https://ada.example/" rel="nofollow ugc noopener">Ada</a>' in page


def test_email_is_never_shown(client, post):
    CommentFactory(post=post, email="hidden@example.com")
    assert "hidden@example.com" not in client.get(post.get_absolute_url()).content.decode()
    assert "hidden@example.com" not in client.get("/comments/feed/").content.decode()


def test_a_direction_override_is_never_shown_whoever_stored_it():
    """An imported comment (or one stored before) is shown without it too."""
    from comments.rendering import comment_text

    assert comment_text("see \u202egnp.exe") == "<p>see gnp.exe</p>"
