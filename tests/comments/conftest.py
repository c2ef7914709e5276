import pytest
from django.test import RequestFactory

from comments import services
from comments.forms import PostCommentForm, text_field_name
from comments.trust import COOKIE_NAME, browser_key
from comments.xtd import XtdComment
from tests.factories import PostFactory


@pytest.fixture(autouse=True)
def _comment_settings(settings):
    """No waiting in tests unless a test asks for it; a generous rate limit."""
    settings.QUIRE_COMMENTS_MIN_FILL_SECONDS = 0
    settings.QUIRE_COMMENTS_RATE_LIMIT = 100
    settings.COMMENTS_XTD_THREADED_EMAILS = False


@pytest.fixture
def post(db):
    return PostFactory(title="On walking")


def form_data(post, **overrides):
    """What a browser sends: the signed security fields of a fresh form, and the reader's input.

    `comment=` is the reader's text, sent under the field's secret name as the form names it;
    the honeypot of the library's name `comment` is sent empty, as a person leaves it.
    """
    form = PostCommentForm(post)
    data = {name: str(value) for name, value in form.initial.items() if value is not None}
    data.update(
        name="Ada Reader",
        email="ada@example.com",
        url="",
        honeypot="",
        reply_to="0",
    )
    data[text_field_name()] = overrides.pop("comment", "A thoughtful comment.")
    data["comment"] = ""
    data.update(overrides)
    return data


@pytest.fixture
def post_comment(client):
    def post_comment(post, follow=False, **overrides):
        return client.post("/comments/post/", form_data(post, **overrides), follow=follow)

    return post_comment


@pytest.fixture
def trust_reader(post_comment, moderator):
    """A moderator approves a comment Ada sent from this test's browser (the `client`)."""

    def trust(post, email="ada@example.com"):
        text = f"An earlier comment by {email}"
        post_comment(post, email=email, comment=text)
        comment = XtdComment.objects.get(comment=text)
        services.comments_approve(comments=[comment], moderator=moderator)
        return comment

    return trust


def browser_key_of(client):
    """The key in a browser's commenter cookie, as comments.trust reads it."""
    request = RequestFactory().get("/")
    request.COOKIES[COOKIE_NAME] = client.cookies[COOKIE_NAME].value
    return browser_key(request)
