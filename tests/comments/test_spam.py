"""Honeypot, signed timestamp, minimum fill time, rate limit, replays and malformed posts."""

import time

import pytest

from comments.forms import text_field_name
from comments.xtd import XtdComment

from .conftest import form_data

pytestmark = pytest.mark.django_db

TEXT = text_field_name()


def test_honeypot_rejects_silently(post, post_comment, mailoutbox, moderator):
    response = post_comment(post, honeypot="http://spam.example")
    assert response.status_code == 400
    assert "could not be posted" in response.content.decode()
    assert not XtdComment.objects.exists()
    assert mailoutbox == []


def test_tampered_security_hash_is_rejected(post, post_comment):
    assert post_comment(post, security_hash="0" * 40).status_code == 400
    assert not XtdComment.objects.exists()


def test_form_for_another_post_cannot_be_reused(post, post_factory, client):
    other = post_factory()
    data = form_data(post, object_pk=str(other.pk))
    assert client.post("/comments/post/", data).status_code == 400


def test_expired_form_is_rejected(post, client, settings):
    data = form_data(post)
    from comments.forms import PostCommentForm

    old = int(time.time()) - settings.COMMENTS_TIMEOUT - 10
    data.update(timestamp=str(old), security_hash=PostCommentForm(post).initial_security_hash(old))
    assert client.post("/comments/post/", data).status_code == 400
    assert not XtdComment.objects.exists()


def test_form_sent_too_quickly_comes_back_with_the_text_intact(post, client, settings):
    settings.QUIRE_COMMENTS_MIN_FILL_SECONDS = 5
    response = client.post("/comments/post/", form_data(post, comment="Fast fingers"))
    assert response.status_code == 200
    assert "That was quick!" in response.content.decode()
    assert "Fast fingers</textarea>" in response.content.decode()
    assert not XtdComment.objects.exists()


def test_form_filled_in_long_enough_is_accepted(post, client, settings):
    settings.QUIRE_COMMENTS_MIN_FILL_SECONDS = 5
    from comments.forms import PostCommentForm

    then = int(time.time()) - 6
    data = form_data(post)
    data.update(
        timestamp=str(then), security_hash=PostCommentForm(post).initial_security_hash(then)
    )
    assert client.post("/comments/post/", data).status_code == 302
    assert XtdComment.objects.count() == 1


def test_replayed_post_is_refused(post, client):
    data = form_data(post)
    assert client.post("/comments/post/", data).status_code == 302
    response = client.post("/comments/post/", data)
    assert "already been sent" in response.content.decode()
    assert XtdComment.objects.count() == 1


def test_two_readers_with_forms_from_the_same_second_both_post(post, client):
    data = form_data(post)
    assert client.post("/comments/post/", data).status_code == 302
    other = dict(data, name="Bo", email="bo@example.com", **{TEXT: "Different words"})
    assert client.post("/comments/post/", other).status_code == 302
    assert XtdComment.objects.count() == 2


def test_rate_limit_per_ip_kept_in_the_cache(post, client, settings):
    settings.QUIRE_COMMENTS_RATE_LIMIT = 2
    for n in range(2):
        response = client.post("/comments/post/", form_data(post, comment=f"Comment {n}"))
        assert response.status_code == 302
    response = client.post("/comments/post/", form_data(post, comment="One too many"))
    assert response.status_code == 429
    assert "wait a little" in response.content.decode()
    # Another address is not affected.
    response = client.post(
        "/comments/post/", form_data(post, comment="Elsewhere"), REMOTE_ADDR="10.0.0.9"
    )
    assert response.status_code == 302
    assert XtdComment.objects.count() == 3


def test_rate_limit_state_lives_in_the_cache(post, client, settings):
    from django.core.cache import cache

    settings.QUIRE_COMMENTS_RATE_LIMIT = 1
    client.post("/comments/post/", form_data(post))
    cache.clear()  # A fresh window, as when the cache entry expires.
    assert client.post("/comments/post/", form_data(post, comment="Again")).status_code == 302


@pytest.mark.parametrize(
    "overrides",
    [
        {"content_type": "blog"},
        {"content_type": "nope.model"},
        {"object_pk": "not-a-number"},
        {"object_pk": "999999"},
        {"timestamp": "yesterday"},
        {"security_hash": "short"},
        {"reply_to": "not-a-number"},
        {"reply_to": "-5"},
        {"reply_to": "999999"},
        {"name": "x" * 51},
        {TEXT: "x" * 3001},
        {"email": "a@" + "b" * 300 + ".example"},
        {"url": "https://example.com/" + "a" * 300},
        {"url": "javascript:alert(1)"},
        {"url": "ftp://example.com/"},
        {TEXT: "   "},
        {"name": ""},
        {"content_type": ""},
        {"content_type": "blog.page"},
        {"content_type": "auth.user"},
        {"content_type": "django_comments_xtd.xtdcomment"},
        {"object_pk": ""},
        {"object_pk": "²"},
        {"object_pk": "99999999999999999999999"},
        {"object_pk": "1\x00"},
        {"timestamp": "99999999999999999999999"},
        {"timestamp": "-1"},
        {"timestamp": "1e9"},
        {"security_hash": "x" * 10000},
        {"reply_to": "99999999999999999999999"},
        {"reply_to": "²"},
        {"reply_to": "1.5"},
        {"email": "ada@example.com\x00"},
        {"url": "https://exa\x00mple.com/"},
        {TEXT: "x" * 100_000},
        {"comment": "x" * 100_000},
        {"honeypot": "x" * 10_000},
    ],
)
def test_malformed_posts_never_cause_a_server_error(post, client, overrides):
    data = form_data(post)
    data.update(overrides)
    response = client.post("/comments/post/", data)
    assert response.status_code in (200, 400, 404)  # 404: a form for no post that is public
    assert not XtdComment.objects.exists()


@pytest.mark.parametrize("field", [TEXT, "name"])
def test_a_nul_in_the_name_or_text_is_dropped_and_the_comment_taken(post, client, field):
    """A reader cannot see a NUL to take it out: it goes, as every control character does."""
    data = form_data(post)
    data[field] = "nul \x00 byte"
    assert client.post("/comments/post/", data).status_code == 302
    comment = XtdComment.objects.get()
    assert "nul  byte" in (comment.user_name, comment.comment)


def test_missing_fields_are_a_bad_request(client):
    assert client.post("/comments/post/", {}).status_code == 400


def test_get_is_not_allowed(client):
    assert client.get("/comments/post/").status_code == 405


def test_reply_to_a_pending_comment_is_refused(post, client):
    from tests.factories import CommentFactory

    pending = CommentFactory(post=post, is_public=False)
    response = client.post("/comments/post/", form_data(post, reply_to=str(pending.pk)))
    assert "only reply to a published comment" in response.content.decode()
    assert XtdComment.objects.count() == 1


def test_reply_beyond_the_maximum_depth_is_refused(post, client, settings):
    from tests.factories import CommentFactory

    assert settings.COMMENTS_XTD_MAX_THREAD_LEVEL == 3
    deepest = CommentFactory(post=post)
    for _level in range(3):
        deepest = CommentFactory(post=post, parent=deepest)
    assert deepest.level == 3
    page = client.get(post.get_absolute_url()).content.decode()
    assert page.count(">Reply</a>") == 3  # No reply link on the deepest comment.

    response = client.post("/comments/post/", form_data(post, reply_to=str(deepest.pk)))
    assert "only reply to a published comment" in response.content.decode()
    assert XtdComment.objects.count() == 4


def test_unicode_of_every_kind_is_kept(post, client, settings):
    settings.QUIRE_COMMENTS_HOLD_FIRST_TIME = False
    text = "Ça va? 日本語 ✍️👩🏽‍💻 עברית العربية\u200b zero-width and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢"
    response = client.post(
        "/comments/post/", form_data(post, name="Zoë 李", comment=text), follow=True
    )
    assert response.status_code == 200
    comment = XtdComment.objects.get()
    assert comment.comment == text and comment.user_name == "Zoë 李"
    assert text in response.content.decode()


def test_the_library_api_is_not_offered(post, client):
    from tests.factories import CommentFactory

    CommentFactory(post=post, is_public=False, text="Pending text")
    assert client.get(f"/comments/api/blog-post/{post.pk}/").status_code == 404
    assert client.get(f"/comments/api/blog-post/{post.pk}/count/").status_code == 404
    assert client.post("/comments/api/comment/", {}).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/comments/posted/?c=99999999999999999999999",
        "/comments/sent/?c=99999999999999999999999",
        "/comments/posted/?c=²",
        "/comments/posted/?c=",
        "/comments/posted/?c=-1",
        "/comments/reply/99999999999999999999999/",
        "/comments/feed/99999999999999999999999/",
        "/comments/cr/99999999999999999999999/1/",
    ],
)
def test_odd_numbers_in_addresses_are_not_found(client, post, path):
    assert client.get(path).status_code == 404
