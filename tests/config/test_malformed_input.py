"""Malformed input anywhere a stranger can put it gets a 4xx or a page, never a server error.

Runs on whichever database the suite runs on: SQLite and PostgreSQL refuse different bytes
(PostgreSQL will not store or compare a NUL character at all).
"""

import pytest
from django.test import Client

from tests.factories import CommentFactory, PageFactory, PostFactory

pytestmark = pytest.mark.django_db

HOSTILE_VALUES = [
    "\x00",
    "nul\x00inside",
    "%00",
    "%C0%AF",
    "%FF%FE",
    "\x1b[31m",
    "9" * 40,
    "-1",
    "1e999",
    "x" * 20_000,
    "' OR 1=1 --",
    '"unbalanced',
    "\u202eevil\u202c",
    "🙂" * 100,
]
# Bytes no browser should send: overlong, surrogate and truncated UTF-8, sent as they are.
INVALID_UTF8 = ["%C0%AF", "%ED%A0%80", "%E2%82", "%FF"]
QUERY_NAMES = ("q", "before", "after", "page", "c", "m", "comments")


@pytest.fixture
def blog(db):
    post = PostFactory(title="Tide tables", slug="tide-tables", tags=["Sea"])
    CommentFactory(post=post, text="Public comment")
    PageFactory(title="About", slug="about")
    return post


def public_paths(post):
    month = f"{post.published_at:%Y/%m}"
    return [
        "/",
        post.get_absolute_url(),
        "/archive/",
        "/search/",
        "/tag/sea/",
        "/tag/sea/feed/",
        "/p/about/",
        f"/{post.published_at:%Y}/",
        f"/{month}/",
        "/feed/",
        "/feed/rss/",
        "/comments/feed/",
        f"/comments/feed/{post.pk}/",
        f"/comments/write/{post.pk}/",
        f"/comments/fields/{post.pk}/",
        "/comments/posted/",
        "/sitemap.xml",
        "/robots.txt",
    ]


def assert_no_server_error(response, what):
    assert response.status_code < 500, what


@pytest.mark.parametrize("value", HOSTILE_VALUES, ids=range(len(HOSTILE_VALUES)))
def test_hostile_query_strings(client, blog, value):
    for path in public_paths(blog):
        response = client.get(path, dict.fromkeys(QUERY_NAMES, value))
        assert_no_server_error(response, path)


@pytest.mark.parametrize("raw", INVALID_UTF8)
def test_invalid_utf8_in_paths_and_query_strings(client, blog, raw):
    for path in public_paths(blog):
        query = "&".join(f"{name}={raw}" for name in QUERY_NAMES)
        assert_no_server_error(client.get(f"{path}?{query}"), path)
    for path in (f"/tag/{raw}/", f"/p/{raw}/", f"/2024/10/{raw}/", f"/{raw}", f"/{raw}.html"):
        assert_no_server_error(client.get(path), path)


@pytest.mark.parametrize("value", HOSTILE_VALUES, ids=range(len(HOSTILE_VALUES)))
def test_hostile_path_segments(client, blog, value):
    for template in (
        "/tag/{}/",
        "/tag/{}/feed/",
        "/p/{}/",
        "/{}/",
        "/2024/{}/",
        "/2024/10/{}/",
        "/comments/reply/{}/",
        "/comments/write/{}/",
        "/comments/confirm/{}/",
        "/comments/mute/{}/",
        "/preview/{}/",
        "/{}.html",
    ):
        response = client.get(template.format(value))
        assert_no_server_error(response, template)


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ACCEPT_ENCODING": "br;q=abc, gzip;q=1e999, *;q=-1"},
        {"HTTP_IF_MODIFIED_SINCE": "yesterday\x00"},
        {"HTTP_IF_NONE_MATCH": '"' * 5000},
        {"HTTP_COOKIE": "sessionid=\x00; csrftoken=" + "x" * 5000},
        {"HTTP_COOKIE": "quire_commenter=forged:signature"},
        {"HTTP_X_FORWARDED_FOR": "not-an-ip, \x00, 999.999.999.999"},
        {"HTTP_X_FORWARDED_PROTO": "gopher"},
        {"HTTP_USER_AGENT": "\x00" * 100},
        {"HTTP_REFERER": "javascript:alert(1)"},
        {"HTTP_HOST": "evil.example"},
        {"HTTP_HOST": "127.0.0.1:99999999"},
        {"HTTP_ACCEPT_LANGUAGE": "x" * 10_000},
    ],
    ids=lambda headers: next(iter(headers)),
)
def test_hostile_headers(blog, headers):
    client = Client()
    for path in public_paths(blog):
        assert_no_server_error(client.get(path, **headers), path)


@pytest.mark.parametrize("value", HOSTILE_VALUES, ids=range(len(HOSTILE_VALUES)))
def test_hostile_comment_fields(client, blog, value):
    from tests.comments.conftest import form_data

    for field in ("name", "email", "url", "comment", "reply_to", "followup", "object_pk"):
        data = form_data(blog, **{field: value})
        for path in ("/comments/post/", f"/comments/write/{blog.pk}/"):
            response = client.post(path, data)
            assert_no_server_error(response, (path, field))


def test_a_nul_in_the_address_is_a_bad_request(client, blog):
    for path in ("/tag/sea%00/", "/search/?q=tide%00", "/?before=%00", "/p/about%00/"):
        assert client.get(path).status_code == 400, path


@pytest.mark.parametrize("path", ["/", "/comments/post/", "/admin/login/"])
@pytest.mark.parametrize("with_cookie", [True, False])
def test_a_form_sent_in_another_charset_than_utf8_is_a_bad_request(path, with_cookie):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    if with_cookie:  # Django's CSRF check reads the form: refused again on the error page.
        client.cookies["csrftoken"] = "a" * 32
    response = client.post(
        path, data="a=b", content_type="application/x-www-form-urlencoded; charset=utf-7"
    )
    assert response.status_code == 400
    assert b"UTF-8" in response.content
