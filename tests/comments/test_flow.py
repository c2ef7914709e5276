"""A reader posts, a moderator decides, and the page, the count and the feed follow."""

import re

import pytest
from django.test import Client

from comments import services
from comments.xtd import XtdComment
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def test_post_page_shows_count_line_and_form(client, post):
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert "No comments:" in content
    assert "Post a Comment" in content
    for field in ("name", "email", "url", "comment", "followup"):
        assert f'name="{field}"' in content
    assert 'name="honeypot"' in content
    assert "Send comment" in content


def test_first_comment_waits_for_moderation(client, post, post_comment, mailoutbox, moderator):
    response = post_comment(post, follow=True)

    assert response.redirect_chain[-1][0] == post.get_absolute_url() + "#comments"
    content = response.content.decode()
    # The reader lands at #comments, so the message is there, not out of sight at the top.
    comments_section = content[content.index('id="comments"') :]
    assert "Thank you! Your comment is awaiting moderation" in comments_section
    assert content.count("Thank you! Your comment is awaiting moderation") == 1
    comment = XtdComment.objects.get()
    assert not comment.is_public
    post.refresh_from_db()
    assert post.comment_count == 0
    # The poster sees their own waiting comment, marked as such; nobody else does.
    assert "Only you can see it" in response.content.decode()
    assert "A thoughtful comment." in response.content.decode()
    other_reader = Client().get(post.get_absolute_url()).content.decode()
    assert "A thoughtful comment." not in other_reader
    assert [m.to for m in mailoutbox] == [[moderator.email]]
    assert f"/admin/django_comments_xtd/xtdcomment/{comment.pk}/change/" in mailoutbox[0].body


def test_approved_comment_is_public_everywhere(client, post, post_comment, moderator):
    post_comment(post)
    comment = XtdComment.objects.get()

    services.comments_approve(comments=[comment], moderator=moderator)

    post.refresh_from_db()
    assert post.comment_count == 1
    page = client.get(post.get_absolute_url()).content.decode()
    assert "1 comment:" in page
    assert "A thoughtful comment." in page
    assert "ada@example.com" not in page
    assert "A thoughtful comment." in client.get("/comments/feed/").content.decode()


def test_approved_address_publishes_at_once(client, post, post_comment, moderator):
    post_comment(post)
    services.comments_approve(comments=XtdComment.objects.all(), moderator=moderator)

    response = post_comment(post, follow=True, comment="And a second thought.")

    assert "Your comment has been published" in response.content.decode()
    assert "And a second thought." in response.content.decode()
    post.refresh_from_db()
    assert post.comment_count == 2


def test_reply_nests_under_its_parent(client, post, post_comment):
    parent = CommentFactory(post=post, email="ada@example.com", text="Parent comment")
    post_comment(post, reply_to=str(parent.pk), comment="A reply")
    reply = XtdComment.objects.get(comment="A reply")
    assert reply.parent_id == parent.pk and reply.level == 1

    reply.is_public = True
    reply.save()

    page = client.get(post.get_absolute_url()).content.decode()
    parent_at = page.index(f'id="c{parent.pk}"')
    assert parent_at < page.index(f'id="c{reply.pk}"') < page.index("</li>", parent_at + 100)
    assert "2 comments:" in page


def test_reply_page_works_without_javascript(client, post):
    parent = CommentFactory(post=post, text="Reply to me")
    response = client.get(f"/comments/reply/{parent.pk}/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Reply to me" in content
    assert f'name="reply_to" value="{parent.pk}"' in content


def test_reply_page_hides_pending_comments(client, post):
    pending = CommentFactory(post=post, is_public=False, text="Secret pending text")
    assert client.get(f"/comments/reply/{pending.pk}/").status_code == 404


def test_form_errors_keep_what_the_reader_typed(client, post, post_comment):
    response = post_comment(post, email="not an email", comment="Ünïcödé text ✍️ kept")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Enter a valid email address." in content
    assert 'value="Ada Reader"' in content
    assert 'value="not an email"' in content
    assert "Ünïcödé text ✍️ kept</textarea>" in content
    assert not XtdComment.objects.exists()


def test_posting_to_a_closed_post_is_refused(client, post_factory, post_comment):
    post = post_factory(allow_comments=False)
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Comments are closed for this post." in page
    assert "Post a Comment" not in page
    response = post_comment(post)
    assert response.status_code == 403
    assert not XtdComment.objects.exists()


def test_comments_close_by_themselves_after_configured_days(
    client, post_factory, post_comment, settings
):
    import datetime

    from django.utils import timezone

    settings.QUIRE_COMMENTS_CLOSE_AFTER_DAYS = 30
    old = post_factory(published_at=timezone.now() - datetime.timedelta(days=31))
    recent = post_factory(published_at=timezone.now() - datetime.timedelta(days=29))
    assert "Comments are closed" in client.get(old.get_absolute_url()).content.decode()
    assert "Post a Comment" in client.get(recent.get_absolute_url()).content.decode()
    assert post_comment(old).status_code == 403
    assert post_comment(recent).status_code == 302


def test_comments_on_drafts_are_refused(post_factory, post_comment):
    draft = post_factory(draft=True)
    assert post_comment(draft).status_code == 404
    assert not XtdComment.objects.exists()


def test_pending_reply_stays_hidden_when_parent_is_saved(post):
    parent = CommentFactory(post=post)
    reply = CommentFactory(post=post, parent=parent, is_public=False)
    parent.comment = "Edited by a moderator"
    parent.save()
    reply.refresh_from_db()
    assert not reply.is_public


def test_poster_may_reply_to_their_own_waiting_comment(client, post, post_comment):
    post_comment(post, follow=True)
    own = XtdComment.objects.get()
    assert client.get(f"/comments/reply/{own.pk}/").status_code == 200
    assert Client().get(f"/comments/reply/{own.pk}/").status_code == 404

    post_comment(post, reply_to=str(own.pk), comment="Replying to myself")
    reply = XtdComment.objects.get(comment="Replying to myself")
    assert reply.parent_id == own.pk and not reply.is_public


def test_reply_to_someone_elses_waiting_comment_is_refused(post, post_comment):
    waiting = CommentFactory(post=post, is_public=False, email="other@example.com")
    response = post_comment(post, reply_to=str(waiting.pk))
    assert "only reply to a published comment" in response.content.decode()


def test_reply_under_a_waiting_comment_waits_even_from_a_trusted_address(
    trust_reader, post, post_comment, moderator, settings
):
    trust_reader(post)
    settings.QUIRE_COMMENTS_MAX_LINKS = 0  # Her own comment with a link waits, trusted or not.
    post_comment(post, comment="See https://example.com/tides")
    waiting = XtdComment.objects.get(comment="See https://example.com/tides")
    assert not waiting.is_public
    settings.QUIRE_COMMENTS_MAX_LINKS = 5
    post_comment(post, reply_to=str(waiting.pk), comment="Under a waiting one")
    assert XtdComment.objects.get(comment="Under a waiting one").is_public is False


def test_a_waiting_comment_cannot_be_found_by_typing_its_writers_address(post, post_comment):
    """Replying to one's own waiting comment goes by this browser, never by a typed address:
    the answer would tell anyone with the address which waiting comment is whose."""
    waiting = CommentFactory(post=post, is_public=False, email="paula@example.org")
    answers = [
        post_comment(post, reply_to=str(waiting.pk), email=email, comment=f"As {email}")
        for email in ("paula@example.org", "someone@example.org")
    ]
    from comments.forms import REPLY_REFUSED

    assert all(REPLY_REFUSED in answer.content.decode() for answer in answers)
    assert not XtdComment.objects.filter(comment__startswith="As ").exists()


def test_email_confirmation_can_be_switched_on(client, post, post_comment, mailoutbox, monkeypatch):
    from django_comments_xtd.conf import settings as xtd_settings

    assert xtd_settings.COMMENTS_XTD_CONFIRM_EMAIL is False  # The library reads settings once.
    monkeypatch.setattr(xtd_settings._wrapped, "COMMENTS_XTD_CONFIRM_EMAIL", True)
    response = post_comment(post, follow=True)
    assert "Please confirm your comment" in response.content.decode()
    assert not XtdComment.objects.exists()
    link = re.search(r"https?://[^/\s]+(/comments/confirm/\S+)", mailoutbox[0].body).group(1)

    response = client.get(link, follow=True)

    comment = XtdComment.objects.get()
    assert not comment.is_public  # Confirmed, and now waiting for a moderator.
    assert response.status_code == 200


def test_a_neighbour_behind_the_same_address_never_sees_a_waiting_comment(post, post_comment):
    post_comment(post, comment="Only for the moderator and me")
    comment = XtdComment.objects.get()
    neighbour = Client()  # Same REMOTE_ADDR, as behind one NAT or proxy.

    response = neighbour.get(f"/comments/posted/?c={comment.pk}", follow=True)

    page = response.content.decode()
    assert "awaiting moderation" not in page
    assert "Only for the moderator and me" not in page and "Ada Reader" not in page
    assert neighbour.get(f"/comments/reply/{comment.pk}/").status_code == 404


def test_a_neighbour_is_not_thanked_for_someone_elses_comment(
    trust_reader, post, post_comment, moderator
):
    trust_reader(post)
    post_comment(post, comment="Published at once")
    comment = XtdComment.objects.get(comment="Published at once")

    response = Client().get(f"/comments/posted/?c={comment.pk}", follow=True)

    assert response.redirect_chain[-1][0] == f"{post.get_absolute_url()}#c{comment.pk}"
    assert "Thank you" not in response.content.decode()


def test_the_poster_sees_their_waiting_comment_from_another_address(client, post, post_comment):
    post_comment(post, comment="Posted on the train")
    comment = XtdComment.objects.get()

    response = client.get(f"/comments/posted/?c={comment.pk}", REMOTE_ADDR="198.51.100.4")

    page = client.get(response["Location"]).content.decode()
    assert "Posted on the train" in page and "awaiting moderation" in page


def test_the_heading_is_honest_about_the_readers_own_waiting_comment(client, post, post_comment):
    response = post_comment(post, follow=True, comment="Mine, held")
    page = response.content.decode()
    assert "No published comments yet; yours is awaiting moderation:" in page
    assert "No comments:" not in page
    # Everyone else sees the count as it is.
    assert "No comments:" in Client().get(post.get_absolute_url()).content.decode()

    CommentFactory(post=post, text="Someone else's, public")
    post_comment(post, comment="Mine again, held")
    page = client.get(post.get_absolute_url()).content.decode()
    assert "1 comment, and 2 of yours awaiting moderation:" in page


def test_characters_that_only_act_are_dropped_and_the_rest_kept(post, post_comment):
    """An ESC, a BEL or a right-to-left override shows as nothing, yet a terminal acts on the
    first two and the third turns a name's following words around: none of them is kept."""
    post_comment(
        post,
        name="Mallory\u202e\u2066 the\tkind\x07",
        comment="Colour \x1b[31mred\x1b[0m\r\nNext line\tand a tab, café \u05e9\u05dc\u05d5\u05dd",
    )
    comment = XtdComment.objects.get()
    assert comment.user_name == "Mallory the kind"
    assert comment.comment == "Colour [31mred[0m\nNext line\tand a tab, café שלום"


def test_a_direction_override_in_the_text_cannot_turn_a_file_name_around(post, post_comment):
    """U+202E draws what follows backwards: "gnp.exe" would read as "exe.png". Embeddings and
    isolates, which right-to-left writing uses, stay."""
    post_comment(post, comment="Open my \u202egnp.exe and \u2067\u05e9\u05dc\u05d5\u05dd\u2069.")
    assert XtdComment.objects.get().comment == "Open my gnp.exe and \u2067שלום\u2069."


@pytest.mark.parametrize(
    "name",
    [
        "\u202e\x07",  # Controls only.
        "\u200b\u200c\u200d\ufeff",  # Zero-width characters.
        "\u061c\u200e\u200f",  # Direction marks.
        "\u3164\u115f",  # Hangul fillers: letters that draw nothing.
        "\u2028\u2029 \u0301",  # Separators, and a mark with no letter under it.
    ],
)
def test_a_name_that_would_show_nothing_is_asked_for_again_with_the_text_kept(
    post, post_comment, name
):
    response = post_comment(post, name=name, comment="Still mine.")
    assert XtdComment.objects.count() == 0
    page = response.content.decode()
    assert "This field is required." in page
    assert "Still mine." in page


def test_invisible_characters_beside_letters_are_kept(post, post_comment):
    """A Persian name needs its zero-width non-joiner; an emoji family its joiners."""
    name = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 👩\u200d👧"
    post_comment(post, name=name)
    assert XtdComment.objects.get().user_name == name


def test_a_comment_as_long_as_the_browser_allows_is_taken(post, post_comment, settings):
    """The textarea's maxlength counts a line break as one character; the browser sends two."""
    lines = settings.COMMENT_MAX_LENGTH // 100
    text = "\n".join(["x" * 99] * lines)  # 100 characters a line, the break counted as one.
    text += "y" * (settings.COMMENT_MAX_LENGTH - len(text))
    assert len(text) == settings.COMMENT_MAX_LENGTH
    response = post_comment(post, comment=text.replace("\n", "\r\n"))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert XtdComment.objects.get().comment == text


def test_a_pasted_text_too_long_is_never_cut_short_in_the_browser(client, post, settings):
    """No maxlength on the textarea: the reader is told the limit, and the server the rest."""
    page = client.get(post.get_absolute_url()).content.decode()
    textarea = re.search(r"<textarea[^>]*data-comment-text[^>]*>", page).group(0)
    assert "maxlength" not in textarea
    assert f"up to {settings.COMMENT_MAX_LENGTH:,} characters" in page


def test_a_website_without_its_scheme_can_be_typed_and_a_bad_one_is_said_once(post, post_comment):
    response = post_comment(post, url="javascript:alert(1)")
    assert response.content.decode().count("Enter a valid URL.") == 1
    post_comment(post, url="nell.example.org", comment="With my site")
    assert XtdComment.objects.get(comment="With my site").user_url == "https://nell.example.org"
