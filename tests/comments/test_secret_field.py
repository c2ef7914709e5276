"""The text goes under a name of this site's own; `comment`, where bots put theirs, is a honeypot.

Every path keeps a person's text in the real field: the post page, the comment page, preview,
replies, a form that fails validation, an old form that still sends it under `comment`.
"""

import re

import pytest
from django.test import Client

from comments.forms import text_field_name
from comments.models import BotCheck, BotCount
from comments.services import comment_create
from comments.xtd import XtdComment

from .conftest import form_data

pytestmark = pytest.mark.django_db

TEXT = text_field_name()


def textarea(content, name):
    """The text in the page's <textarea name=...>, or None if there is none."""
    found = re.search(rf'<textarea name="{re.escape(name)}"[^>]*>(.*?)</textarea>', content, re.S)
    return found and found.group(1).removeprefix("\n")


def stopped(defence):
    return BotCount.objects.filter(defence=defence).values_list("count", flat=True).first() or 0


def test_the_name_is_secret_stable_and_the_same_for_every_server(settings):
    assert TEXT != "comment" and re.fullmatch(r"text_[0-9a-f]{12}", TEXT)
    assert text_field_name() == TEXT  # Another process, another restart: the same key, same name.
    settings.SECRET_KEY = "another site's secret " * 3
    assert text_field_name() != TEXT  # Another site: another name, not to be guessed.


def test_the_post_page_hides_the_usual_name_from_people(client, post):
    content = client.get(post.get_absolute_url()).content.decode()
    trap = re.search(r'<p class="comment-honeypot" aria-hidden="true">(?:(?!</p>).)*name="comment"'
                     r"(?:(?!</p>).)*</p>", content, re.S).group(0)  # fmt: skip
    assert "Leave this box empty" in trap  # For a screen reader that reaches it anyway.
    assert 'tabindex="-1"' in trap and 'autocomplete="off"' in trap
    assert textarea(content, "comment") == ""
    # The field people see and fill is labelled Comment, under the secret name.
    assert f'<label for="id_{TEXT}">Comment:</label>' in content
    assert textarea(content, TEXT) == ""
    assert content.index(f'name="{TEXT}"') < content.index('name="followup"')


def test_text_under_the_usual_name_beside_the_real_one_is_a_bot(client, post):
    data = form_data(post, comment="A person's words")
    data["comment"] = "Great post! Visit https://spam.example/"
    response = client.post("/comments/post/", data)
    assert response.status_code == 400
    assert not XtdComment.objects.exists()
    assert stopped(BotCheck.HONEYPOT) == 1
    # The page refusing it shows the real field's text, never the honeypot's.
    content = response.content.decode()
    assert "A person&#x27;s words</textarea>" in content
    assert "spam.example" not in content


def test_an_old_form_keeps_the_readers_text_and_asks_them_to_send_it_again(client, post):
    data = form_data(post, name="Zoë", comment="Written in a tab opened yesterday. 🌊")
    data["comment"] = data.pop(TEXT)  # As a page from before the change sends it.
    response = client.post("/comments/post/", data)
    content = response.content.decode()
    assert response.status_code == 400
    assert not XtdComment.objects.exists()
    assert stopped(BotCheck.OLD_FORM) == 1 and stopped(BotCheck.HONEYPOT) == 0
    assert "opened before our comment form changed" in content
    assert textarea(content, TEXT) == "Written in a tab opened yesterday. 🌊"
    assert textarea(content, "comment") == ""  # Never back in the honeypot.
    assert 'value="Zoë"' in content
    fresh = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', content))
    resent = {**data, **fresh, TEXT: textarea(content, TEXT), "comment": ""}
    assert client.post("/comments/post/", resent).status_code == 302
    assert XtdComment.objects.get().comment == "Written in a tab opened yesterday. 🌊"


def test_an_old_form_for_a_post_that_takes_no_comments_still_shows_the_text(client, post):
    data = form_data(post)
    data["comment"] = data.pop(TEXT)
    post.allow_comments = False
    post.save()
    response = client.post("/comments/post/", data)
    assert response.status_code == 403
    assert "A thoughtful comment.</textarea>" in response.content.decode()


def test_an_old_cached_page_without_javascript_reaches_the_comment_page(client, post):
    old = {"name": "Ada", "email": "ada@example.com", "comment": "No script here.", "reply_to": "0"}
    response = client.post(f"/comments/write/{post.pk}/", old)
    content = response.content.decode()
    assert response.status_code == 200
    assert "has not been sent yet" in content
    assert textarea(content, TEXT) == "No script here."
    assert textarea(content, "comment") == ""
    assert stopped(BotCheck.OLD_FORM) == 0  # The comment page is where such a page sends it.


def test_the_comment_page_refuses_text_in_the_usual_name(client, post):
    data = {**form_data(post), "comment": "Spam"}
    response = client.post(f"/comments/write/{post.pk}/", data)
    assert response.status_code == 400
    assert stopped(BotCheck.HONEYPOT) == 1


def test_a_form_that_fails_validation_keeps_the_text_in_the_real_field(client, post):
    long_unicode = "Ünïcödé — " * 400  # Longer than COMMENT_MAX_LENGTH.
    for data in (
        form_data(post, email="not an address", comment="Kept <i>as typed</i> ✍️"),
        form_data(post, comment=long_unicode),
    ):
        response = client.post("/comments/post/", data)
        content = response.content.decode()
        assert response.status_code == 200
        assert "has not been posted yet" in content
        assert textarea(content, "comment") == ""
        assert textarea(content, TEXT) in ("Kept &lt;i&gt;as typed&lt;/i&gt; ✍️", long_unicode)
    assert not XtdComment.objects.exists()


def test_preview_shows_the_text_in_the_real_field(client, post):
    data = {**form_data(post, comment="Let me look first"), "preview": "1"}
    content = client.post("/comments/post/", data).content.decode()
    assert textarea(content, TEXT) == "Let me look first"
    assert textarea(content, "comment") == ""
    assert not XtdComment.objects.exists()


def test_a_reply_is_sent_under_the_secret_name(client, post):
    root = comment_create(post=post, name="Bo", email="bo@example.com", text="First")
    page = client.get(f"/comments/reply/{root.pk}/").content.decode()
    assert textarea(page, TEXT) == "" and textarea(page, "comment") == ""
    client.post("/comments/post/", form_data(post, reply_to=str(root.pk), comment="A reply"))
    assert XtdComment.objects.get(comment="A reply").parent_id == root.pk
    bot = {**form_data(post, reply_to=str(root.pk), comment="x"), "comment": "Spam reply"}
    assert client.post("/comments/post/", bot).status_code == 400


def test_the_fresh_fields_name_the_text_field(client, post):
    answer = client.get(f"/comments/fields/{post.pk}/").json()
    assert answer["text_field"] == TEXT
    assert TEXT not in answer["fields"] and "comment" not in answer["fields"]


def test_a_form_shown_before_the_key_was_rotated_still_sends(settings, post):
    old_key = settings.SECRET_KEY
    old_name = text_field_name()
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "a new secret key " * 4, [old_key]
    assert text_field_name() != old_name
    data = form_data(post, comment="Sent across the rotation")
    data[old_name] = data.pop(text_field_name())
    response = Client().post("/comments/post/", data)
    assert response.status_code == 302
    assert XtdComment.objects.get().comment == "Sent across the rotation"


def test_the_moderators_email_shows_the_text(client, post, moderator, mailoutbox):
    client.post("/comments/post/", form_data(post, comment="Please read me, moderator"))
    assert "Please read me, moderator" in mailoutbox[0].body
