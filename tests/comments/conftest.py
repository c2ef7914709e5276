import pytest
from django.contrib.auth.models import Group

from comments.forms import PostCommentForm
from tests.factories import PostFactory, UserFactory


@pytest.fixture(autouse=True)
def _comment_settings(settings):
    """No waiting in tests unless a test asks for it; a generous rate limit."""
    settings.QUIRE_COMMENTS_MIN_FILL_SECONDS = 0
    settings.QUIRE_COMMENTS_RATE_LIMIT = 100
    settings.COMMENTS_XTD_THREADED_EMAILS = False


@pytest.fixture
def post(db):
    return PostFactory(title="On walking")


@pytest.fixture
def moderator(db):
    user = UserFactory(username="mona", email="mona@example.com", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def form_data(post, **overrides):
    """What a browser sends: the signed security fields of a fresh form, and the reader's input."""
    form = PostCommentForm(post)
    data = {name: str(value) for name, value in form.initial.items() if value is not None}
    data.update(
        name="Ada Reader",
        email="ada@example.com",
        url="",
        comment="A thoughtful comment.",
        honeypot="",
        reply_to="0",
    )
    data.update(overrides)
    return data


@pytest.fixture
def post_comment(client):
    def post_comment(post, follow=False, **overrides):
        return client.post("/comments/post/", form_data(post, **overrides), follow=follow)

    return post_comment
