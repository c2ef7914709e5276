import datetime as dt
from urllib.parse import quote

import pytest
import time_machine
from django.core.exceptions import ValidationError
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from blog.models import Post, PostAddress

pytestmark = pytest.mark.django_db

OCT_23 = dt.datetime(2024, 10, 23, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def post(post_factory):
    return Post.objects.get(pk=post_factory(slug="first-name", published_at=OCT_23).pk)


def move(post, **changes):
    post = Post.objects.get(pk=post.pk)  # as the admin does: load, change, save
    for field, value in changes.items():
        setattr(post, field, value)
    post.save()
    return post


def assert_moved(client, old, new):
    assertRedirects(client.get(old), new, status_code=301)


def test_changing_the_slug_keeps_the_old_address_working(client, post):
    moved = move(post, slug="second-name")
    assert_moved(client, "/2024/10/first-name/", "/2024/10/second-name/")
    assert client.get(moved.get_absolute_url()).status_code == 200


def test_changing_the_date_keeps_the_old_address_working(client, post):
    move(post, published_at=dt.datetime(2024, 11, 2, tzinfo=dt.UTC))
    assert_moved(client, "/2024/10/first-name/", "/2024/11/first-name/")


def test_a_change_within_the_month_keeps_the_same_address(client, post):
    moved = move(post, published_at=OCT_23 + dt.timedelta(days=3), title="New title")
    assert moved.get_absolute_url() == "/2024/10/first-name/"
    assert client.get("/2024/10/first-name/").status_code == 200
    assert not PostAddress.objects.exists()


def test_moving_twice_sends_every_old_address_straight_to_the_newest(client, post):
    move(post, slug="second-name")
    move(post, slug="third-name")
    assert_moved(client, "/2024/10/first-name/", "/2024/10/third-name/")
    assert_moved(client, "/2024/10/second-name/", "/2024/10/third-name/")


def test_moving_back_does_not_make_a_loop(client, post):
    move(post, slug="second-name")
    back = move(post, slug="first-name")
    assert client.get(back.get_absolute_url()).status_code == 200
    assert_moved(client, "/2024/10/second-name/", "/2024/10/first-name/")


@pytest.mark.parametrize("kind", ["draft", "scheduled"])
def test_a_post_never_public_that_moves_leaves_no_redirect(client, post_factory, kind):
    hidden = post_factory(slug="first-name", **{kind: True})
    old_url = hidden.get_absolute_url()
    move(hidden, slug="other-name")
    assert client.get(old_url).status_code == 404
    assert not PostAddress.objects.exists()


def test_rescheduling_a_published_post_does_not_reveal_its_future_address(client, post):
    future = dt.datetime(2099, 1, 5, tzinfo=dt.UTC)
    move(post, slug="secret-launch", published_at=future)

    response = client.get("/2024/10/first-name/")
    assert response.status_code == 404
    assertNotContains(response, "secret-launch", status_code=404)
    with time_machine.travel(future + dt.timedelta(hours=1)):
        assert_moved(client, "/2024/10/first-name/", "/2099/01/secret-launch/")


def test_an_unpublished_post_renamed_while_a_draft_keeps_its_old_address(client, post):
    move(post, status=Post.Status.DRAFT)
    assert client.get("/2024/10/first-name/").status_code == 404
    move(post, slug="renamed-in-draft")
    move(post, status=Post.Status.PUBLISHED)
    assert_moved(client, "/2024/10/first-name/", "/2024/10/renamed-in-draft/")


def test_an_old_address_taken_by_another_post_shows_that_post(client, post, post_factory):
    move(post, slug="second-name")
    newcomer = post_factory(slug="first-name", published_at=OCT_23 + dt.timedelta(days=1))
    assert newcomer.get_absolute_url() == "/2024/10/first-name/"
    assertContains(client.get("/2024/10/first-name/"), newcomer.title)


def test_a_deleted_post_leaves_its_old_addresses_not_found(client, post):
    move(post, slug="second-name")
    Post.objects.filter(pk=post.pk).delete()
    assert client.get("/2024/10/first-name/").status_code == 404


def test_unicode_slug_change(client, post_factory):
    post = post_factory(slug="日本語", published_at=OCT_23)
    move(post, slug="にほんご")
    assert_moved(client, f"/2024/10/{quote('日本語')}/", f"/2024/10/{quote('にほんご')}/")


def test_a_long_unicode_slug_can_still_be_changed_and_keeps_its_address(client, post_factory):
    # Percent-encoded, this address is 1,360 characters long.
    post = post_factory(slug="日" * 150, published_at=OCT_23)
    moved = move(post, slug="short")
    assert client.get(moved.get_absolute_url()).status_code == 200
    assert_moved(client, f"/2024/10/{quote('日' * 150)}/", "/2024/10/short/")


def test_slug_edited_in_the_admin_leaves_a_redirect(client, author, post):
    client.force_login(author)
    response = client.post(
        f"/admin/blog/post/{post.pk}/change/",
        {
            "title": post.title,
            "slug": "edited-in-admin",
            "body": post.body,
            "tags": "",
            "publication": "dated",
            "publication_time": "2024-10-23T09:00",
            "author": post.author_id,
            "allow_comments": "on",
            "addresses-TOTAL_FORMS": "0",
            "addresses-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    client.logout()
    assert_moved(client, "/2024/10/first-name/", "/2024/10/edited-in-admin/")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("/2012/05/café.html", "/2012/05/caf%C3%A9.html"),
        ("/2012/05/caf%c3%a9.html", "/2012/05/caf%C3%A9.html"),
        ("  /2012/05/old.html ", "/2012/05/old.html"),
    ],
)
def test_an_old_address_typed_by_the_author_redirects_however_it_was_written(
    client, post, typed, stored
):
    address = PostAddress(path=typed, post=post)
    address.full_clean()
    address.save()
    assert address.path == stored
    assert_moved(client, stored, post.get_absolute_url())


@pytest.mark.parametrize(
    "typed", ["https://old.example.com/2012/05/x.html", "/2012/05/x.html?m=1", "2012/05/x.html"]
)
def test_an_old_address_with_a_host_a_query_or_no_leading_slash_is_refused(post, typed):
    with pytest.raises(ValidationError):
        PostAddress(path=typed, post=post).full_clean()
