"""The blog's author replies from the moderation queue; a waiting comment is approved with it."""

import pytest
from django.test import Client

from comments.xtd import XtdComment
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

QUEUE = "/admin/django_comments_xtd/xtdcomment/"


def test_replying_from_the_queue_publishes_a_threaded_reply(client, post, moderator):
    moderator.first_name, moderator.last_name = "Mona", "Author"
    moderator.save()
    waiting = CommentFactory(post=post, is_public=False, text="Is the bridge open?", name="Ada")
    client.force_login(moderator)
    assert f"{QUEUE}{waiting.pk}/reply/" in client.get(QUEUE).content.decode()

    form = client.get(f"{QUEUE}{waiting.pk}/reply/").content.decode()
    assert "Is the bridge open?" in form and "replying approves it" in form
    response = client.post(f"{QUEUE}{waiting.pk}/reply/", {"comment": "Yes, since May."})

    assert response.status_code == 302
    reply = XtdComment.objects.get(comment="Yes, since May.")
    waiting.refresh_from_db()
    assert reply.parent_id == waiting.pk and reply.is_public and reply.user_name == "Mona Author"
    assert waiting.is_public
    page = Client().get(post.get_absolute_url()).content.decode()
    assert "Is the bridge open?" in page and "Yes, since May." in page


def test_an_empty_reply_posts_nothing(client, post, moderator):
    waiting = CommentFactory(post=post, is_public=False)
    client.force_login(moderator)
    response = client.post(f"{QUEUE}{waiting.pk}/reply/", {"comment": "   "})
    assert "Write something to reply." in response.content.decode()
    assert XtdComment.objects.count() == 1


def test_only_moderators_reply_from_the_queue(client, post, user_factory):
    waiting = CommentFactory(post=post, is_public=False)
    client.force_login(user_factory(username="staffer", is_staff=True))
    assert client.post(f"{QUEUE}{waiting.pk}/reply/", {"comment": "Hi"}).status_code == 403
    assert XtdComment.objects.count() == 1
