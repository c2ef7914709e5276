"""Only the comment routes Quire offers are mounted; none leads to an unpublished post."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from comments.xtd import XtdComment
from tests.factories import CommentFactory

from .conftest import form_data

pytestmark = pytest.mark.django_db


def redirect_url(obj):
    return f"/comments/cr/{ContentType.objects.get_for_model(obj).pk}/{obj.pk}/"


def test_comment_link_leads_to_the_comment_on_its_post(client, post):
    comment = CommentFactory(post=post)
    assert comment.get_absolute_url() == f"{redirect_url(post)}?c={comment.pk}#c{comment.pk}"

    response = client.get(comment.get_absolute_url())

    assert response.status_code == 302
    assert response["Location"] == post.get_absolute_url()


@pytest.mark.parametrize("trait", ["draft", "scheduled"])
def test_comment_link_does_not_reveal_an_unpublished_post(client, post_factory, trait):
    hidden = post_factory(**{trait: True}, title="Secret plans", slug="secret-plans")
    response = client.get(redirect_url(hidden))
    assert response.status_code == 404
    assert "secret-plans" not in response.get("Location", "")
    assert "Secret plans" not in response.content.decode()


def test_comment_link_does_not_reveal_a_page(client, page_factory):
    hidden = page_factory(is_published=False, slug="unannounced")
    assert client.get(redirect_url(hidden)).status_code == 404
    # A public page's comments show on it (when it has any), so its links lead there.
    public = page_factory(slug="guestbook")
    assert client.get(redirect_url(public)).headers["Location"] == "/p/guestbook/"


@pytest.mark.parametrize(
    "path",
    ["/comments/cr/1/x/", "/comments/cr/999999/1/", "/comments/cr/1/99999999999999999999999/"],
)
def test_odd_comment_links_are_not_found(client, post, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/comments/flag/{pk}/",
        "/comments/flagged/",
        "/comments/like/{pk}/",
        "/comments/liked/",
        "/comments/dislike/{pk}/",
        "/comments/disliked/",
        "/comments/delete/{pk}/",
        "/comments/deleted/",
        "/comments/approve/{pk}/",
        "/comments/approved/",
        "/comments/api/comment/",
    ],
)
def test_pages_quire_does_not_use_are_not_found(client, post, moderator, path):
    pending = CommentFactory(post=post, is_public=False)
    client.force_login(moderator)
    assert client.get(path.format(pk=pending.pk)).status_code == 404
    assert client.post(path.format(pk=pending.pk)).status_code == 404
    pending.refresh_from_db()
    assert not pending.is_public


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/comments/post.json"),
        ("get", "/comments/reply/{pk}.html"),
        ("get", "/comments/sent.html?c={pk}"),
        ("get", "/comments/posted.json?c={pk}"),
    ],
)
def test_format_suffixes_are_not_found(client, post, method, path):
    comment = CommentFactory(post=post)
    path = path.format(pk=comment.pk)
    response = getattr(client, method)(path, form_data(post) if method == "post" else {})
    assert response.status_code == 404


def test_names_the_library_reverses_still_resolve():
    names = [
        ("comments-post-comment", {}),
        ("comments-comment-done", {}),
        ("comments-xtd-sent", {}),
        ("comments-xtd-reply", {"cid": 1}),
        ("comments-xtd-confirm", {"key": "k"}),
        ("comments-xtd-mute", {"key": "k"}),
        ("comments-url-redirect", {"content_type_id": 1, "object_pk": "1"}),
    ]
    for name, kwargs in names:
        assert reverse(name, kwargs=kwargs).startswith("/comments/")


def test_comment_link_with_non_ascii_digits_is_not_found(client, post):
    post_type = ContentType.objects.get_for_model(post).pk
    assert client.get(f"/comments/cr/{post_type}/{post.pk}²/").status_code == 404


SECRETS = ("Secret plans", "secret-plans", "Secret comment text")


def assert_reveals_nothing(response):
    chain = getattr(response, "redirect_chain", [])
    seen = response.content.decode() + " ".join(url for url, _status in chain)
    for secret in SECRETS:
        assert secret not in seen


@pytest.mark.parametrize("trait", ["draft", "scheduled"])
def test_no_comment_route_reveals_an_unpublished_post(client, post_factory, trait):
    from django.core import signing

    hidden = post_factory(**{trait: True}, title="Secret plans", slug="secret-plans")
    comment = CommentFactory(post=hidden, text="Secret comment text")
    signed_key = signing.dumps(f"blog.post:{hidden.pk}")
    not_found = [
        f"/comments/posted/?c={comment.pk}",
        f"/comments/sent/?c={comment.pk}",
        f"/comments/posted/?c={signed_key}",
        f"/comments/reply/{comment.pk}/",
        redirect_url(hidden),
        f"/comments/feed/{hidden.pk}/",
    ]
    for path in not_found:
        response = client.get(path, follow=True)
        assert response.status_code == 404, path
        assert_reveals_nothing(response)
    assert_reveals_nothing(client.get("/comments/feed/"))
    response = client.post("/comments/post/", form_data(hidden), follow=True)
    assert response.status_code == 404  # As for a post that never was.
    assert_reveals_nothing(response)


@pytest.mark.parametrize(
    "state",
    [{"is_public": False}, {"is_public": True, "is_removed": True}],
    ids=["waiting", "removed"],
)
def test_no_comment_route_reveals_a_comment_the_public_may_not_see(client, post, state):
    comment = CommentFactory(post=post, text="Secret comment text", **state)
    for view in ("posted", "sent"):
        response = client.get(f"/comments/{view}/?c={comment.pk}", follow=True)
        missing = client.get(f"/comments/{view}/?c={comment.pk + 1000}", follow=True)
        # Answered as for a comment that does not exist: not even the post is named.
        assert response.status_code == missing.status_code == 404
        assert response.content == missing.content
        assert_reveals_nothing(response)
        assert post.get_absolute_url() not in response.content.decode()
    assert client.get(f"/comments/reply/{comment.pk}/").status_code == 404
    for feed in ("/comments/feed/", f"/comments/feed/{post.pk}/"):
        assert_reveals_nothing(client.get(feed))


@pytest.mark.parametrize("method", ["get", "head"])
def test_the_comment_form_address_opened_by_itself_says_where_comments_are_written(client, method):
    response = getattr(client, method)("/comments/post/")
    assert response.status_code == 405 and response["Allow"] == "POST"
    if method == "get":
        page = response.content.decode()
        assert "Comments are written on posts" in page and 'href="/"' in page
        assert '<meta name="robots" content="noindex">' in page


def test_a_put_to_the_comment_form_address_stores_nothing(client, post):
    response = client.put("/comments/post/", form_data(post))
    assert response.status_code == 405
    assert not XtdComment.objects.exists()
