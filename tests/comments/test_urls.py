"""Only the comment routes Quire offers are mounted; none leads to an unpublished post."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from .conftest import form_data, make_comment

pytestmark = pytest.mark.django_db


def redirect_url(obj):
    return f"/comments/cr/{ContentType.objects.get_for_model(obj).pk}/{obj.pk}/"


def test_comment_link_leads_to_the_comment_on_its_post(client, post):
    comment = make_comment(post)
    assert comment.get_absolute_url() == f"{redirect_url(post)}#c{comment.pk}"

    response = client.get(redirect_url(post))

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
    assert client.get(redirect_url(page_factory())).status_code == 404


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
    pending = make_comment(post, is_public=False)
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
    comment = make_comment(post)
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
