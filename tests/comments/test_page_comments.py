"""Pages take comments as posts do, once switched on: the same form, moderation and counts."""

import pytest
from django.test import Client

from blog.publishing import public_pages_changed
from comments import services
from comments.xtd import XtdComment
from tests.factories import CommentFactory, PageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(db):
    return PageFactory(title="About me", slug="about", allow_comments=True)


def test_a_new_page_takes_no_comments(client, post_comment):
    page = PageFactory(title="Contact", slug="contact")
    assert not page.allow_comments
    content = client.get(page.get_absolute_url()).content.decode()
    assert "Post a Comment" not in content and 'id="comments"' not in content
    assert post_comment(page).status_code == 403
    assert client.get(f"/comments/write/page/{page.pk}/").status_code == 404
    assert client.get(f"/comments/fields/page/{page.pk}/").status_code == 404
    assert not XtdComment.objects.exists()


def test_a_page_whose_comments_are_off_keeps_showing_those_it_has(client):
    page = PageFactory(title="Old page", slug="old", allow_comments=True)
    CommentFactory(post=page, text="From the old days")
    page.refresh_from_db()  # As the admin loads it: with the count the comment made.
    page.allow_comments = False
    page.save()
    content = client.get(page.get_absolute_url()).content.decode()
    assert "From the old days" in content
    assert "Comments are closed for this page." in content
    assert "Post a Comment" not in content


def test_a_reader_comments_on_a_page_and_sees_it_once_approved(
    client, page, post_comment, moderator, mailoutbox
):
    content = client.get(page.get_absolute_url()).content.decode()
    assert "No comments:" in content and "Post a Comment" in content
    assert f'action="/comments/write/page/{page.pk}/"' in content
    assert f'data-fresh-fields="/comments/fields/page/{page.pk}/"' in content
    fields = client.get(f"/comments/fields/page/{page.pk}/").json()["fields"]
    assert fields["content_type"] == "blog.page" and fields["object_pk"] == str(page.pk)

    response = post_comment(page, follow=True)

    assert response.redirect_chain[-1][0] == page.get_absolute_url() + "#comments"
    content = response.content.decode()
    comments_section = content[content.index('id="comments"') :]
    assert "Thank you! Your comment is awaiting moderation" in comments_section
    assert "Only you can see it" in content and "A thoughtful comment." in content
    assert "A thoughtful comment." not in Client().get(page.get_absolute_url()).content.decode()
    assert [m.to for m in mailoutbox] == [[moderator.email]]
    assert "“About me”" in mailoutbox[0].subject

    comment = XtdComment.objects.get()
    services.comments_approve(comments=[comment], moderator=moderator)

    page.refresh_from_db()
    assert page.comment_count == 1
    public = Client().get(page.get_absolute_url()).content.decode()
    assert "1 comment:" in public and "A thoughtful comment." in public
    assert "on “About me”" in Client().get("/comments/feed/").content.decode()
    # Its permalink opens the page at the comment.
    redirect = Client().get(comment.get_absolute_url())
    assert redirect.headers["Location"] == page.get_absolute_url()


def test_replies_on_a_page_nest_and_the_reply_page_works(client, page, post_comment):
    parent = CommentFactory(post=page, email="ada@example.com", text="Parent on a page")
    reply_page = client.get(f"/comments/reply/{parent.pk}/")
    assert reply_page.status_code == 200
    assert "Parent on a page" in reply_page.content.decode()
    post_comment(page, reply_to=str(parent.pk), comment="A reply on a page")
    reply = XtdComment.objects.get(comment="A reply on a page")
    assert reply.parent_id == parent.pk and reply.level == 1


def test_a_comment_on_an_unpublished_page_is_refused(client, post_comment):
    page = PageFactory(allow_comments=True, is_published=False)
    assert post_comment(page).status_code == 404
    assert not XtdComment.objects.exists()


def test_spam_on_a_page_is_caught_as_on_a_post(client, page, post_comment, settings, mailoutbox):
    settings.QUIRE_COMMENTS_SPAM_WORDS = ["casino"]
    post_comment(page, comment="Best casino here")
    comment = XtdComment.objects.get()
    assert comment.is_removed and not comment.is_public
    assert mailoutbox == []  # Caught spam costs the moderators no email.


def test_a_page_comment_becoming_public_or_not_changes_the_public_pages(
    page, moderator, django_capture_on_commit_callbacks
):
    sent = []

    def listen(sender, **kwargs):
        sent.append(sender)

    public_pages_changed.connect(listen)
    try:
        comment = CommentFactory(post=page, is_public=False)
        with django_capture_on_commit_callbacks(execute=True):
            services.comments_approve(comments=[comment], moderator=moderator)
        assert len(sent) == 1
        with django_capture_on_commit_callbacks(execute=True):
            services.comments_reject(comments=[comment], moderator=moderator)
        assert len(sent) == 2
    finally:
        public_pages_changed.disconnect(listen)
    page.refresh_from_db()
    assert page.comment_count == 0


def test_the_queue_and_the_dashboard_name_the_page(admin_client, page, moderator):
    CommentFactory(post=page, is_public=False, text="Waiting on a page")
    queue = admin_client.get("/admin/django_comments_xtd/xtdcomment/").content.decode()
    assert f'<a href="{page.get_absolute_url()}">About me</a>' in queue
    home = admin_client.get("/admin/").content.decode()
    assert f'<a href="/admin/blog/page/{page.pk}/change/">About me</a>' in home
