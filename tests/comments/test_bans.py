"""A moderator bans a commenter: their comments are refused with the reason, until the ban ends."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from comments.models import CommenterBan
from comments.xtd import XtdComment

pytestmark = pytest.mark.django_db

QUEUE = "/admin/django_comments_xtd/xtdcomment/"


def test_a_banned_commenter_is_refused_with_the_reason_and_keeps_their_text(post, post_comment):
    CommenterBan.objects.create(email="ada@example.com", reason="Personal attacks on readers.")
    response = post_comment(post, email="ADA@example.com", comment="Let me back in")
    content = response.content.decode()
    assert response.status_code == 400
    assert "Personal attacks on readers." in content
    assert "Let me back in</textarea>" in content
    assert not XtdComment.objects.exists()


def test_a_ban_ends_by_itself(post, post_comment):
    ends = timezone.now() + datetime.timedelta(days=7)
    CommenterBan.objects.create(email="ada@example.com", reason="Cool off", expires_at=ends)
    with time_machine.travel(ends + datetime.timedelta(minutes=1)):
        post_comment(post, comment="A week later")
    assert XtdComment.objects.filter(comment="A week later").exists()


def test_the_queue_links_each_author_to_a_ban_for_their_address(client, post, moderator):
    from tests.factories import CommentFactory

    CommentFactory(post=post, is_public=False, email="troll@example.com")
    client.force_login(moderator)
    queue = client.get(QUEUE).content.decode()
    assert "/admin/comments/commenterban/add/?email=troll%40example.com" in queue
    form = client.get("/admin/comments/commenterban/add/?email=troll%40example.com")
    assert 'value="troll@example.com"' in form.content.decode()
    client.post("/admin/comments/commenterban/add/", {"email": "troll@example.com", "reason": "x"})
    assert CommenterBan.objects.get().email == "troll@example.com"
