"""The post page is shared by every reader, so its form is made fresh for whoever writes."""

import datetime as dt
import re

import pytest
import time_machine
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from comments.forms import PostCommentForm, text_field_name
from comments.xtd import XtdComment

from .conftest import form_data

pytestmark = pytest.mark.django_db

# Later than any post the factories make, so they are all public by then.
LATER = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=2)

TEXT = "Wrote this on a page served long ago. ✍️"
READER = {
    "name": "Ada Reader",
    "email": "ada@example.com",
    "url": "",
    text_field_name(): TEXT,
    "comment": "",
    "honeypot": "",
    "reply_to": "0",
}


@pytest.fixture
def browser():
    """A client that checks CSRF as a real browser's requests are checked."""
    return Client(enforce_csrf_checks=True)


def cached_form(page):
    """The comment form of a post page: its action, fresh-fields address and inputs."""
    form = re.search(r'<form class="comment-form"[^>]*>.*?</form>', page, re.S).group(0)
    return {
        "action": re.search(r'action="([^"]+)"', form).group(1),
        "fields_url": re.search(r'data-fresh-fields="([^"]+)"', form).group(1),
        "inputs": set(re.findall(r'name="([^"]+)"', form)),
    }


def renewed_form(browser, page):
    """What comment-form.js does as the reader starts writing."""
    form = cached_form(page)
    response = browser.get(form["fields_url"])
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    found = response.json()
    return found["action"], {**READER, **found["fields"]}


def test_the_post_page_holds_nothing_of_one_reader(browser, post):
    page = browser.get(post.get_absolute_url()).content.decode()
    form = cached_form(page)
    assert "csrfmiddlewaretoken" not in page
    assert not {"timestamp", "security_hash", "csrfmiddlewaretoken"} & form["inputs"]
    assert {"name", "email", "url", text_field_name(), "comment", "honeypot", "followup"} <= form[
        "inputs"
    ]
    assert form["action"] == f"/comments/write/{post.pk}/"
    assert "comment-form.js" in page


def test_a_form_renewed_as_the_reader_writes_is_accepted(browser, post):
    page = browser.get(post.get_absolute_url()).content.decode()
    action, data = renewed_form(browser, page)
    response = browser.post(action, data)
    assert response.status_code == 302
    assert XtdComment.objects.get().comment == TEXT


def test_a_page_cached_three_hours_ago_still_takes_a_comment(browser, post, settings):
    settings.QUIRE_COMMENTS_MIN_FILL_SECONDS = 3
    start = LATER
    with time_machine.travel(start, tick=False):
        page = browser.get(post.get_absolute_url()).content.decode()
    with time_machine.travel(start + dt.timedelta(hours=3), tick=False) as clock:
        action, data = renewed_form(browser, page)  # the reader starts writing
        clock.shift(dt.timedelta(seconds=40))
        assert browser.post(action, data).status_code == 302
    assert XtdComment.objects.filter(comment=TEXT).exists()


@pytest.mark.parametrize(
    "bot",
    ["honeypot", "too_fast", "replayed", "stale_fields", "no_fields", "no_csrf"],
)
def test_every_spam_defence_still_fires_on_a_cached_page(browser, post, settings, bot):
    settings.QUIRE_COMMENTS_MIN_FILL_SECONDS = 3
    start = LATER
    with time_machine.travel(start, tick=False) as clock:
        page = browser.get(post.get_absolute_url()).content.decode()
        action, data = renewed_form(browser, page)
        clock.shift(dt.timedelta(seconds=10))
        if bot == "honeypot":
            response = browser.post(action, {**data, "honeypot": "https://spam.example/"})
            assert response.status_code == 400
        elif bot == "too_fast":
            clock.shift(dt.timedelta(seconds=-9))
            response = browser.post(action, data)
            assert "That was quick!" in response.content.decode()
        elif bot == "replayed":
            assert browser.post(action, data).status_code == 302
            response = browser.post(action, data)
            assert "already been sent" in response.content.decode()
        elif bot == "stale_fields":
            clock.shift(dt.timedelta(seconds=settings.COMMENTS_TIMEOUT))
            response = browser.post(action, data)
            assert response.status_code == 400
        elif bot == "no_fields":
            # The cached form as it stands only reaches the comment page, which stores nothing.
            response = browser.post(cached_form(page)["action"], READER)
            assert "has not been sent yet" in response.content.decode()
        elif bot == "no_csrf":
            del data["csrfmiddlewaretoken"]
            assert browser.post(action, data).status_code == 403
    expected = 1 if bot == "replayed" else 0
    assert XtdComment.objects.count() == expected


def test_without_javascript_the_form_goes_to_the_comment_page(browser, post):
    page = browser.get(post.get_absolute_url()).content.decode()
    form = cached_form(page)
    # The button's word is kept: the reader is told there is one more step.
    assert re.search(r"<noscript>.*a page where you check your comment and send it", page, re.S)
    response = browser.post(form["action"], {**READER, "followup": "on"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "has not been sent yet" in content
    assert TEXT + "</textarea>" in content
    assert 'value="Ada Reader"' in content
    assert re.search(r'name="followup"[^>]*checked', content)
    assert 'name="csrfmiddlewaretoken"' in content
    assert not XtdComment.objects.exists()
    # The fresh form it hands back is accepted once sent.
    fresh = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', content))
    assert browser.post("/comments/post/", {**READER, **fresh}).status_code == 302
    assert XtdComment.objects.count() == 1


@pytest.mark.parametrize("renewed_by", ["the comment page", "an expired form"])
def test_a_reader_who_reads_their_comment_over_and_sends_it_at_once_is_not_too_quick(
    browser, post, settings, renewed_by
):
    """They wrote the text before this form: the minimum fill time is spent already."""
    settings.QUIRE_COMMENTS_MIN_FILL_SECONDS = 3
    with time_machine.travel(LATER, tick=False) as clock:
        if renewed_by == "the comment page":
            response = browser.post(f"/comments/write/{post.pk}/", READER)
        else:
            _, data = renewed_form(browser, browser.get(post.get_absolute_url()).content.decode())
            clock.shift(dt.timedelta(seconds=settings.COMMENTS_TIMEOUT + 60))
            response = browser.post("/comments/post/", data)
            assert response.status_code == 400
        content = response.content.decode()
        fresh = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', content))
        clock.shift(dt.timedelta(seconds=1))
        sent = browser.post("/comments/post/", {**READER, **fresh})
    assert "That was quick" not in sent.content.decode()
    assert sent.status_code == 302 and XtdComment.objects.count() == 1


def test_the_comment_page_refuses_a_filled_honeypot(browser, post):
    response = browser.post(f"/comments/write/{post.pk}/", {**READER, "honeypot": "x"})
    assert response.status_code == 400
    assert not XtdComment.objects.exists()
    # A person who somehow filled it keeps their text and a way back to a fresh form.
    content = response.content.decode()
    assert TEXT + "</textarea>" in content
    assert f'href="/comments/write/{post.pk}/"' in content
    assert f'href="{post.get_absolute_url()}"' in content


def test_an_expired_form_comes_back_renewed_with_the_text(client, post, settings):
    with time_machine.travel(LATER, tick=False) as clock:
        data = form_data(post, comment="Kept through the expiry ✍️")
        clock.shift(dt.timedelta(seconds=settings.COMMENTS_TIMEOUT + 60))
        response = client.post("/comments/post/", data)
        content = response.content.decode()
        assert response.status_code == 400
        assert "had to be renewed" in content
        assert "Kept through the expiry ✍️</textarea>" in content
        fresh = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', content))
        assert int(fresh["timestamp"]) > int(data["timestamp"])
        clock.shift(dt.timedelta(seconds=30))
        assert client.post("/comments/post/", {**data, **fresh}).status_code == 302
    assert XtdComment.objects.get().comment == "Kept through the expiry ✍️"


def test_the_rate_limit_keeps_the_text(client, post, settings):
    settings.QUIRE_COMMENTS_RATE_LIMIT = 0
    response = client.post("/comments/post/", form_data(post, comment="Not lost to the limit"))
    assert response.status_code == 429
    assert "Not lost to the limit</textarea>" in response.content.decode()


def test_a_refused_comment_is_shown_back_to_its_writer(client, post):
    data = form_data(post, comment="Written <b>while</b> it was open")
    post.allow_comments = False  # The author closed comments while the reader wrote.
    post.save()
    response = client.post("/comments/post/", data)
    content = response.content.decode()
    assert response.status_code == 403
    assert "closed while you were writing, so your comment was not posted" in content
    assert f'<a href="{post.get_absolute_url()}">{post.title}</a>' in content
    assert "Written &lt;b&gt;while&lt;/b&gt; it was open</textarea>" in content
    assert "reload the page" not in content  # Reloading would not open them again.
    assert not XtdComment.objects.exists()


def test_comments_closing_with_age_while_a_reader_writes_keep_the_text(
    browser, post_factory, settings
):
    """Without JavaScript the cached page's form goes to the comment page, after the close."""
    settings.QUIRE_COMMENTS_CLOSE_AFTER_DAYS = 30
    opened = dt.datetime.now(dt.UTC)
    post = post_factory(published_at=opened - dt.timedelta(days=30, minutes=-2))
    form = cached_form(browser.get(post.get_absolute_url()).content.decode())
    with time_machine.travel(opened + dt.timedelta(minutes=5)):
        response = browser.post(form["action"], READER)
    content = response.content.decode()
    assert response.status_code == 403
    assert "closed while you were writing" in content
    assert TEXT + "</textarea>" in content
    assert not XtdComment.objects.exists()


@pytest.mark.parametrize("kind", ["draft", "closed"])
def test_no_fresh_form_for_a_post_that_takes_no_comments(client, post_factory, kind):
    post = post_factory(draft=True) if kind == "draft" else post_factory(allow_comments=False)
    assert client.get(f"/comments/fields/{post.pk}/").status_code == 404
    assert client.get(f"/comments/write/{post.pk}/").status_code == 404
    # Text sent all the same comes back, and a post that is not public stays unnamed.
    response = client.post(f"/comments/write/{post.pk}/", READER)
    assert response.status_code == (404 if kind == "draft" else 403)
    assert TEXT + "</textarea>" in response.content.decode()
    assert (post.title in response.content.decode()) == (kind == "closed")
    assert not XtdComment.objects.exists()


def test_the_blank_fields_made_once_are_those_a_fresh_form_renders(client, post, post_factory):
    other = post_factory()
    pages = [client.get(p.get_absolute_url()).content.decode() for p in (post, other, post)]
    fresh = render_to_string("comments/form_fields.html", {"form": PostCommentForm(other)})

    forms = [cached_form(page) for page in pages]
    assert [form["action"] for form in forms] == [
        reverse("comments-write", args=[p.pk]) for p in (post, other, post)
    ]
    assert all(fresh.strip() in page for page in pages)


def test_a_comment_sent_without_the_csrf_cookie_comes_back_with_its_text(post):
    """Cookies blocked, or cleared while the reader wrote: Django's bare 403 lost the text."""
    reader = Client(enforce_csrf_checks=True)
    page = reader.get(post.get_absolute_url()).content.decode()
    _, data = renewed_form(reader, page)
    reader.cookies.clear()
    response = reader.post("/comments/post/", data)
    content = response.content.decode()
    assert response.status_code == 403
    assert "did not send the cookie" in content and TEXT + "</textarea>" in content
    assert 'value="Ada Reader"' in content and "<!doctype html>" in content
    fresh = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', content))
    assert reader.post("/comments/post/", {**READER, **fresh}).status_code == 302
    assert XtdComment.objects.count() == 1


def test_any_other_form_refused_for_csrf_gets_the_sites_own_page(db):
    response = Client(enforce_csrf_checks=True).post("/admin/login/", {"username": "x"})
    assert response.status_code == 403
    assert "This form could not be accepted" in response.content.decode()
