"""The desk's admin: a revision per save, the autosave endpoint, history, restore, previews of
changes and preview links, each refused to staff who may not change the post."""

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains

from blog.models import Post
from desk.models import PreviewLink, Revision
from desk.previews import preview_link_create, preview_link_path
from desk.revisions import revision_autosave, revision_record
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2024, 10, 23, 10, 42, tzinfo=dt.UTC)


def change_url(post):
    return f"/admin/blog/post/{post.pk}/change/"


def form_data(post, **changes):
    data = {
        "title": post.title,
        "slug": post.slug,
        "body": post.body,
        "excerpt": post.excerpt,
        "tags": "",
        "publication": "draft" if post.status == "draft" else "now",
        "publication_time": "",
        "author": post.author_id,
        "allow_comments": "on",
        "cover_alt": "",
        "addresses-TOTAL_FORMS": "0",
        "addresses-INITIAL_FORMS": "0",
        "addresses-MIN_NUM_FORMS": "0",
        "addresses-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    return {**data, **changes}


@pytest.fixture
def viewer_client(client, viewer):
    client.force_login(viewer)
    return client


def test_each_admin_save_keeps_a_revision_with_its_labels_and_writer(staff_client, author):
    post = PostFactory(title="Before")
    response = staff_client.post(change_url(post), form_data(post, title="After", tags="Sea, Café"))
    assert response.status_code == 302
    revision = post.revisions.first()
    assert (revision.title, revision.labels, revision.author) == ("After", "Café, Sea", author)


def test_a_post_never_saved_here_keeps_its_first_words_in_history(staff_client, author):
    """Demo content and imports have no revision: the first save here must not lose them."""
    post = PostFactory(title="Imported", body="Words from the old blog.", tags=["Old"])
    staff_client.post(change_url(post), form_data(post, body="Rewritten."))
    staff_client.post(change_url(post), form_data(post, body="Rewritten again."))

    oldest = post.revisions.last()
    assert (oldest.body, oldest.labels, oldest.author) == (
        "Words from the old blog.", "Old", post.author,
    )  # fmt: skip
    assert oldest.created_at == post.updated_at
    assert [r.body for r in post.revisions.all()] == [
        "Rewritten again.", "Rewritten.", "Words from the old blog.",
    ]  # fmt: skip


def test_adding_a_post_keeps_its_first_revision(staff_client, author):
    post = PostFactory.build(author=author, slug="new-one")
    response = staff_client.post("/admin/blog/post/add/", form_data(post, title="A new one"))
    assert response.status_code == 302
    assert Post.objects.get(slug="new-one").revisions.get().title == "A new one"


def test_the_autosave_endpoint_keeps_the_words_and_leaves_the_post_alone(staff_client, author):
    post = PostFactory(title="Stored", body="Stored body.")
    words = {"title": "Typed", "body": "Half a sent", "excerpt": "", "tags": "Sea"}
    response = staff_client.post(f"/admin/blog/post/{post.pk}/autosave/", words)
    assert response.status_code == 200 and "saved_at" in response.json()
    post.refresh_from_db()
    assert (post.title, post.body) == ("Stored", "Stored body.")
    autosave = post.revisions.get(kind=Revision.Kind.AUTOSAVE)
    assert (autosave.title, autosave.body, autosave.labels) == ("Typed", "Half a sent", "Sea")
    staff_client.post(f"/admin/blog/post/{post.pk}/autosave/", {"discard": "1"})
    assert not post.revisions.exists()


def test_the_autosave_endpoint_answers_only_a_post(staff_client):
    post = PostFactory()
    assert staff_client.get(f"/admin/blog/post/{post.pk}/autosave/").status_code == 405


def test_the_autosave_endpoint_needs_the_csrf_token(client, author):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(author)
    post = PostFactory()
    response = csrf_client.post(f"/admin/blog/post/{post.pk}/autosave/", {"body": "x"})
    assert response.status_code == 403
    assert not post.revisions.exists()


def test_the_change_form_offers_back_an_autosave_newer_than_the_post(staff_client, author):
    with time_machine.travel(NOW, tick=False):
        post = PostFactory(body="Saved.")
    with time_machine.travel(NOW + dt.timedelta(minutes=3), tick=False):
        revision_autosave(
            post=post, author=author, title=post.title, body="Saved. And </script>", excerpt="",
            labels="",
        )  # fmt: skip
    response = staff_client.get(change_url(post))
    assertContains(response, 'id="desk-autosave-offer-data"')
    assertContains(response, "Saved. And \\u003C/script\\u003E")  # Cannot close the script.
    assertContains(response, "desk/autosave.js")
    assertContains(response, f'data-url="/admin/blog/post/{post.pk}/autosave/"')


def test_staff_who_may_only_view_cannot_autosave_restore_preview_or_share(viewer_client, author):
    post = PostFactory(draft=True, body="Original.")
    revision = revision_record(post=post, author=author)
    link = preview_link_create(post=post, user=author)
    base = f"/admin/blog/post/{post.pk}"
    for url, data in [
        (f"{base}/autosave/", {"body": "Mine now"}),
        (f"{base}/revisions/{revision.pk}/restore/", {}),
        (f"{base}/preview-changes/", {"body": "Mine now"}),
        (f"{base}/preview-links/", {"preview_link_days": "7"}),
        (f"{base}/preview-links/{link.pk}/revoke/", {}),
    ]:
        assert viewer_client.post(url, data).status_code == 403, url
    assert viewer_client.get(f"{base}/revisions/{revision.pk}/preview/").status_code == 403
    post.refresh_from_db()
    assert post.body == "Original."
    assert post.revisions.count() == 1
    assert PreviewLink.objects.get().revoked_at is None
    # They may read the history, without restore buttons.
    history = viewer_client.get(f"{base}/history/")
    assert history.status_code == 200
    assertNotContains(history, "Restore this version")
    change = viewer_client.get(change_url(post))
    assertNotContains(change, "desk-autosave")
    assertNotContains(change, "Make a preview link")


def test_a_logged_out_visitor_is_sent_to_the_login(client, draft):
    response = client.post(f"/admin/blog/post/{draft.pk}/autosave/", {"body": "x"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not draft.revisions.exists()


def test_the_history_lists_revisions_and_compares_the_two_newest(staff_client, author):
    with time_machine.travel(NOW, tick=False):
        post = PostFactory(title="Café", body="The quick fox.\nSecond line.")
        revision_record(post=post, author=author)
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        post.body = "The slow fox.\nSecond line."
        post.save()
        revision_record(post=post, author=author)
    response = staff_client.get(f"/admin/blog/post/{post.pk}/history/")
    assertContains(response, "Restore this version", count=2)
    assertContains(response, "<del>quick</del>", html=True)
    assertContains(response, "<ins>slow</ins>", html=True)
    assertContains(response, "?log=1")
    log = staff_client.get(f"/admin/blog/post/{post.pk}/history/?log=1")
    assertContains(log, "Change history")


def test_the_history_compares_any_two_chosen_and_escapes_hostile_words(staff_client, author):
    post = PostFactory(body="One.")
    first = revision_record(post=post, author=author)
    post.body = "<script>alert('x')</script>"
    post.save()
    second = revision_record(post=post, author=author)
    post.body = "Three."
    post.save()
    revision_record(post=post, author=author)
    response = staff_client.get(
        f"/admin/blog/post/{post.pk}/history/", {"from": second.pk, "to": first.pk}
    )
    assertContains(response, "&lt;script&gt;")
    assertNotContains(response, "<script>alert")
    assertContains(response, "<del>One.</del>", html=True)  # Older first, whatever the order.


def revisions_of(post, author, count):
    """`count` saved revisions, a minute apart, the newest last; each body names its number."""
    made = []
    for n in range(count):
        with time_machine.travel(NOW + dt.timedelta(minutes=n), tick=False):
            post.body = f"Body number {n}."
            post.save()
            made.append(revision_record(post=post, author=author))
    return made


def test_a_long_history_comes_in_pages_and_compares_across_them(staff_client, author):
    post = PostFactory()
    made = revisions_of(post, author, 120)
    history = f"/admin/blog/post/{post.pk}/history/"

    first = staff_client.get(history)
    assertContains(first, "Page 1 of 3 (120 revisions)")
    assertContains(first, 'name="from"', count=50)
    assertContains(first, '<a href="?page=2" rel="next">Older revisions</a>', html=True)
    assertContains(first, "<ins>119</ins>", html=True)  # The two newest, compared by default.

    last = staff_client.get(history, {"page": 3})
    assertContains(last, 'name="from"', count=20)
    assertContains(last, '<input type="hidden" name="page" value="3">', html=True)
    assertNotContains(last, "Older revisions")
    # The oldest revision against the newest, though no page lists both.
    across = staff_client.get(history, {"from": made[0].pk, "to": made[-1].pk, "page": 3})
    assertContains(across, "<del>0</del>", html=True)
    assertContains(across, "<ins>119</ins>", html=True)
    assert staff_client.get(history, {"page": "999"}).status_code == 200  # The last page.


def test_the_history_costs_the_same_with_3_and_120_revisions(staff_client, author):
    small, large = PostFactory(), PostFactory()
    revisions_of(small, author, 3)
    revisions_of(large, author, 120)
    staff_client.get(f"/admin/blog/post/{small.pk}/history/")  # The session, warm.
    with CaptureQueriesContext(connection) as few:
        staff_client.get(f"/admin/blog/post/{small.pk}/history/")
    with CaptureQueriesContext(connection) as many:
        staff_client.get(f"/admin/blog/post/{large.pk}/history/")
    assert len(many) == len(few)
    # Only the two revisions compared are read with their words.
    with_words = [q["sql"] for q in many if '"desk_revision"."body"' in q["sql"]]
    assert len(with_words) == 1 and "LIMIT 2" in with_words[0]


def test_the_history_ignores_revisions_of_other_posts(staff_client, author):
    post, other = PostFactory(), PostFactory()
    mine = revision_record(post=post, author=author)
    theirs = revision_record(post=other, author=author)
    response = staff_client.get(
        f"/admin/blog/post/{post.pk}/history/", {"from": mine.pk, "to": theirs.pk}
    )
    assert response.status_code == 200
    assert response.context["changes"] is None
    restore = f"/admin/blog/post/{post.pk}/revisions/{theirs.pk}/restore/"
    assert staff_client.post(restore).status_code == 404


def test_restore_makes_the_revision_the_posts_words(staff_client, author):
    post = PostFactory(title="Old", body="Old body.")
    old = revision_record(post=post, author=author)
    post.title, post.body = "New", "New body."
    post.save()
    revision_record(post=post, author=author)
    response = staff_client.post(f"/admin/blog/post/{post.pk}/revisions/{old.pk}/restore/")
    assert response.status_code == 302 and response["Location"] == change_url(post)
    post.refresh_from_db()
    assert (post.title, post.body) == ("Old", "Old body.")
    assert post.revisions.first().restored_from == old
    assert (
        staff_client.get(f"/admin/blog/post/{post.pk}/revisions/{old.pk}/restore/").status_code
        == 405
    )


def test_preview_changes_shows_the_forms_words_and_keeps_the_published_post(staff_client, author):
    post = PostFactory(title="Live title", body="Live body.")
    response = staff_client.post(
        f"/admin/blog/post/{post.pk}/preview-changes/",
        form_data(post, title="Draft title", body="*Changed* body.", tags="Rain"),
        follow=True,
    )
    assert response.status_code == 200
    assertContains(response, "Draft title")
    assertContains(response, "<em>Changed</em>")
    assertContains(response, "Preview of changes")
    assert re.search(r'<p class="labels">Labels:\s+Rain\s', response.content.decode())
    assert "no-store" in response["Cache-Control"]
    post.refresh_from_db()
    assert (post.title, post.body) == ("Live title", "Live body.")
    assert post.tags.count() == 0
    # Readers still see the live words.
    staff_client.logout()
    assertContains(staff_client.get(post.get_absolute_url()), "Live body.")


def test_a_revision_preview_is_for_staff_who_may_change(client, author, viewer):
    post = PostFactory()
    revision = revision_autosave(
        post=post, author=author, title="T", body="Secret draft.", excerpt="", labels=""
    )
    url = f"/admin/blog/post/{post.pk}/revisions/{revision.pk}/preview/"
    assert client.get(url).status_code == 302  # To the login.
    client.force_login(author)
    assertContains(client.get(url), "Secret draft.")


def test_making_listing_and_withdrawing_a_preview_link(staff_client, draft):
    response = staff_client.post(
        f"/admin/blog/post/{draft.pk}/preview-links/", {"preview_link_days": "3"}, follow=True
    )
    link = PreviewLink.objects.get()
    assert link.lifetime == dt.timedelta(days=3)
    assertContains(response, preview_link_path(link))  # In the message and the list.
    assertContains(response, "Withdraw")
    staff_client.post(f"/admin/blog/post/{draft.pk}/preview-links/{link.pk}/revoke/")
    link.refresh_from_db()
    assert link.revoked_at is not None
    assertNotContains(staff_client.get(change_url(draft)), preview_link_path(link))


@pytest.mark.parametrize("days", ["365", "", "seven", "-1"])
def test_a_lifetime_not_offered_makes_no_link(staff_client, draft, days):
    staff_client.post(f"/admin/blog/post/{draft.pk}/preview-links/", {"preview_link_days": days})
    assert not PreviewLink.objects.exists()


def test_a_published_post_gets_no_preview_link(staff_client):
    post = PostFactory()
    staff_client.post(f"/admin/blog/post/{post.pk}/preview-links/", {"preview_link_days": "7"})
    assert not PreviewLink.objects.exists()
    assertContains(staff_client.get(change_url(post)), "This post is public")


def test_a_staff_user_with_change_permission_but_not_superuser_may_restore(client, user_factory):
    editor = user_factory(username="editor", is_staff=True)
    editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_post", "change_post"])
    )
    client.force_login(editor)
    post = PostFactory(body="Old.")
    old = revision_record(post=post, author=editor)
    post.body = "New."
    post.save()
    client.post(f"/admin/blog/post/{post.pk}/revisions/{old.pk}/restore/")
    post.refresh_from_db()
    assert post.body == "Old."


def test_an_autosave_is_not_restored_from_the_history_past_the_forms_checks(staff_client, author):
    post = PostFactory(body="Checked words.")
    autosave = revision_autosave(
        post=post, author=author, title="Fine", body="Unchecked.", excerpt="", labels="🙂"
    )
    restore = f"/admin/blog/post/{post.pk}/revisions/{autosave.pk}/restore/"
    assert staff_client.post(restore).status_code == 404
    post.refresh_from_db()
    assert post.body == "Checked words." and not post.tags.exists()
    history = staff_client.get(f"/admin/blog/post/{post.pk}/history/")
    assertContains(history, "Offered back when its writer opens the post")
    assertNotContains(history, "Restore this version")


def test_the_sites_name_and_domain_are_settings_not_an_admin_page(staff_client):
    """Edited in one worker's admin, a Site would reach neither the page cache nor the others."""
    assert staff_client.get("/admin/sites/site/1/change/").status_code == 404
    assertNotContains(staff_client.get("/admin/"), "/admin/sites/")
