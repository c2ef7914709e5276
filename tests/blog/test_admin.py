import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from pytest_django.asserts import assertContains, assertNotContains

from blog.models import Post

from .conftest import image_upload

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2024, 10, 23, 12, 0, tzinfo=dt.UTC)
CHANGELIST = "/admin/blog/post/"


@pytest.fixture
def admin_client(client, author):
    client.force_login(author)
    return client


def test_changelist_shows_status_date_tags_and_comment_count(admin_client, post_factory):
    with time_machine.travel(NOW, tick=False):
        post_factory(title="Live", tags=["Sea", "Café"], comment_count=7)
        post_factory(title="Unfinished", draft=True)
        post_factory(title="Tomorrow", scheduled=True)
        response = admin_client.get(CHANGELIST)

    assertContains(response, '<td class="field-status_label">Published</td>', html=True)
    assertContains(response, '<td class="field-status_label">Draft</td>', html=True)
    assertContains(
        response,
        '<td class="field-status_label">Scheduled for Friday, October 25, 2024, 12:00 PM</td>',
        html=True,
    )
    assertContains(response, "Café", count=2)  # the list cell and the tag filter
    assert any(
        cell in response.content.decode()
        for cell in ('field-tag_list">Café, Sea<', 'field-tag_list">Sea, Café<')
    )
    assertContains(response, '<td class="field-comment_count">7</td>', html=True)
    assertContains(response, "Oct. 23, 2024")


def test_changelist_filters_search_and_date_hierarchy(admin_client, post_factory):
    post_factory(title="Lighthouse keeping", published_at=dt.datetime(2023, 5, 1, tzinfo=dt.UTC))
    post_factory(title="Unfinished draft", draft=True, tags=["Sea"])

    drafts = admin_client.get(CHANGELIST, {"publication": "draft"})
    assertContains(drafts, "Unfinished draft")
    assertNotContains(drafts, "Lighthouse keeping")

    found = admin_client.get(CHANGELIST, {"q": "lighthouse"})
    assertContains(found, "Lighthouse keeping")
    assertNotContains(found, "Unfinished draft")

    year = admin_client.get(CHANGELIST, {"published_at__year": "2023"})
    assertContains(year, "Lighthouse keeping")
    assertNotContains(year, "Unfinished draft")

    tagged = admin_client.get(
        CHANGELIST, {"tags__id__exact": Post.tags.through.objects.get().tag_id}
    )
    assertContains(tagged, "Unfinished draft")
    assertNotContains(tagged, "Lighthouse keeping")


def test_add_form_prefills_slug_from_title_and_author_from_user(admin_client, author):
    response = admin_client.get("/admin/blog/post/add/")
    assertContains(response, "&quot;id&quot;: &quot;#id_slug&quot;")
    assertContains(response, "&quot;dependency_ids&quot;: [&quot;#id_title&quot;]")
    assert response.context["adminform"].form.initial["author"] == author.pk


ADDRESS_INLINE_MANAGEMENT = {
    "addresses-TOTAL_FORMS": "0",
    "addresses-INITIAL_FORMS": "0",
    "addresses-MIN_NUM_FORMS": "0",
    "addresses-MAX_NUM_FORMS": "1000",
}


def post_form(**overrides):
    data = {
        "title": "Café au lait",
        "slug": "café-au-lait",
        "body": "Milk and *coffee*.",
        "excerpt": "",
        "tags": "Café, 日本語",
        "cover_alt": "",
        "publication": "dated",
        "publication_time": "2024-10-23T09:00",
        "allow_comments": "on",
        **ADDRESS_INLINE_MANAGEMENT,
    }
    data.update(overrides)
    return data


def test_author_writes_a_post_with_a_cover_and_labels(admin_client, author, client):
    data = post_form(author=author.pk, cover=image_upload(), cover_alt="A cup")
    response = admin_client.post("/admin/blog/post/add/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    post = Post.objects.get()
    assert post.body_html == "<p>Milk and <em>coffee</em>.</p>"
    assert sorted(post.tags.names()) == ["Café", "日本語"]
    assert post.cover_alt == "A cup"
    assert client.get(post.get_absolute_url()).status_code == 200


def test_a_post_with_a_cover_saves_again_without_a_new_upload(admin_client, author, client):
    admin_client.post(
        "/admin/blog/post/add/",
        post_form(author=author.pk, cover=image_upload(), cover_alt="A cup"),
    )
    post = Post.objects.get()

    response = admin_client.post(
        f"/admin/blog/post/{post.pk}/change/",
        post_form(author=author.pk, title="Café noir", cover_alt="A cup"),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    post.refresh_from_db()
    assert post.title == "Café noir"
    assert post.cover  # the stored cover kept, not checked again as if uploaded
    assertContains(client.get(post.get_absolute_url()), "Café noir")


def test_a_label_without_letters_or_digits_is_refused(admin_client, author, client):
    response = admin_client.post(
        "/admin/blog/post/add/", post_form(author=author.pk, tags="Sea, 🙂")
    )
    assertContains(response, "Each label needs at least one letter or digit: 🙂.")
    assert not Post.objects.exists()
    assert client.get("/").status_code == 200


def test_a_label_longer_than_100_characters_is_refused(admin_client, author):
    response = admin_client.post(
        "/admin/blog/post/add/", post_form(author=author.pk, tags="x" * 101)
    )
    assertContains(response, "Labels can be at most 100 characters long.")
    assert not Post.objects.exists()


def test_cover_without_alt_text_is_refused(admin_client, author):
    data = post_form(author=author.pk, cover=image_upload())
    response = admin_client.post("/admin/blog/post/add/", data)
    assertContains(response, "Describe the cover image for screen readers.")
    assert not Post.objects.exists()


def test_a_cover_chosen_for_a_form_that_comes_back_is_asked_for_again(admin_client, author):
    """The browser drops the file: saving again as it stands would give a post with no cover."""
    data = post_form(author=author.pk, cover=image_upload("harbour.png"), cover_alt="The harbour")
    data["title"] = ""
    response = admin_client.post("/admin/blog/post/add/", data)
    assertContains(response, "Choose “harbour.png” again")
    assert not Post.objects.exists()


def test_a_file_that_is_not_an_image_is_refused(admin_client, author):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("cover.png", b"not an image at all", content_type="image/png")
    response = admin_client.post(
        "/admin/blog/post/add/", post_form(author=author.pk, cover=fake, cover_alt="x")
    )
    assert response.status_code == 200
    assert "cover" in response.context["adminform"].form.errors
    assert not Post.objects.exists()


def test_a_cover_cut_short_is_refused_with_the_form_kept(admin_client, author):
    import io
    import os

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.frombytes("RGB", (300, 200), os.urandom(300 * 200 * 3)).save(buffer, "JPEG")
    cut = SimpleUploadedFile("holiday.jpg", buffer.getvalue()[:9000], content_type="image/jpeg")
    data = post_form(author=author.pk, cover=cut, cover_alt="The beach", title="Cut short")
    response = admin_client.post("/admin/blog/post/add/", data)
    assertContains(response, "This image is damaged or cut short")
    assertContains(response, 'value="Cut short"')
    assert not Post.objects.exists()


def test_an_oversize_cover_is_refused(admin_client, author, settings):
    settings.QUIRE_MAX_UPLOAD_BYTES = 50
    data = post_form(author=author.pk, cover=image_upload(), cover_alt="x")
    response = admin_client.post("/admin/blog/post/add/", data)
    assertContains(response, "the largest image Quire accepts is 50")
    assert not Post.objects.exists()


def test_publish_action(admin_client, post_factory):
    drafts = post_factory.create_batch(2, draft=True)
    live = post_factory()

    response = admin_client.post(
        CHANGELIST,
        {"action": "publish", "_selected_action": [p.pk for p in [*drafts, live]]},
        follow=True,
    )

    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Published 2 post(s)."]
    assert Post.objects.published().count() == 3


def test_unpublish_action(admin_client, client, post_factory):
    live = post_factory()
    draft = post_factory(draft=True)

    response = admin_client.post(
        CHANGELIST, {"action": "unpublish", "_selected_action": [live.pk, draft.pk]}, follow=True
    )

    assertContains(response, "Moved 1 post(s) back to draft.")
    assert not Post.objects.published().exists()
    client.logout()
    assert client.get(live.get_absolute_url()).status_code == 404


def test_staff_without_change_permission_gets_no_actions(client, user_factory, post_factory):
    viewer = user_factory(username="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_post"))
    post = post_factory(draft=True)
    client.force_login(viewer)

    response = client.get(CHANGELIST)
    assertNotContains(response, "Publish the selected posts")
    client.post(CHANGELIST, {"action": "publish", "_selected_action": [post.pk]})
    post.refresh_from_db()
    assert post.status == Post.Status.DRAFT


def test_view_on_site_goes_to_the_post_or_its_preview(admin_client, post_factory):
    live = post_factory()
    draft = post_factory(draft=True)

    live_page = admin_client.get(f"/admin/blog/post/{live.pk}/change/")
    assertContains(live_page, f'href="{live.get_absolute_url()}" class="viewsitelink"')
    draft_page = admin_client.get(f"/admin/blog/post/{draft.pk}/change/")
    assertContains(draft_page, f'href="/preview/{draft.pk}/" class="viewsitelink"')
    assertContains(draft_page, "Preview this post as readers will see it")


# --- Preview ---------------------------------------------------------------


@pytest.fixture
def draft(post_factory):
    return post_factory(title="Unfinished thoughts", draft=True)


def test_preview_is_404_for_anonymous_readers(client, draft):
    assert client.get(f"/preview/{draft.pk}/").status_code == 404


def test_preview_is_404_for_staff_without_change_permission(client, user_factory, draft):
    client.force_login(user_factory(username="staff", is_staff=True))
    assert client.get(f"/preview/{draft.pk}/").status_code == 404


def test_preview_is_404_for_a_non_staff_user_even_with_the_permission(client, user_factory, draft):
    reader = user_factory(username="reader")
    reader.user_permissions.add(Permission.objects.get(codename="change_post"))
    client.force_login(reader)
    assert client.get(f"/preview/{draft.pk}/").status_code == 404


def test_preview_is_shown_to_staff_with_change_permission(client, editor, draft):
    client.force_login(editor)
    response = client.get(f"/preview/{draft.pk}/")
    assertContains(response, "Unfinished thoughts")
    assertContains(response, "Preview: draft, not visible to readers.")
    assertContains(response, '<meta name="robots" content="noindex">', html=True)
    assert "no-cache" in response["Cache-Control"]
    assert "private" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_preview_is_shown_to_a_superuser(admin_client, post_factory):
    with time_machine.travel(NOW, tick=False):
        scheduled = post_factory(title="Later", published_at=NOW + dt.timedelta(days=1))
        response = admin_client.get(f"/preview/{scheduled.pk}/")
    assertContains(response, "Preview: scheduled for Thursday, October 24, 2024, 12:00 PM.")


def test_preview_of_a_missing_post_is_404(admin_client):
    assert admin_client.get("/preview/999999/").status_code == 404


def test_page_admin_lists_pages(admin_client, page_factory):
    page_factory(title="About")
    assertContains(admin_client.get("/admin/blog/page/"), "About")
