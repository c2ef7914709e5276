"""The moderation queue in the admin, for members of the Moderators group."""

import re

import pytest
from django.contrib.auth.models import Group

from comments.xtd import CommentFlag, XtdComment
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

QUEUE = "/admin/django_comments_xtd/xtdcomment/"


def test_migration_creates_the_moderators_group():
    perms = set(Group.objects.get(name="Moderators").permissions.values_list("codename", flat=True))
    assert {"can_moderate", "view_xtdcomment", "change_xtdcomment"} <= perms


def test_queue_shows_pending_first_with_details(client, post, moderator):
    CommentFactory(post=post, text="Already public text", name="Old")
    CommentFactory(
        post=post,
        is_public=False,
        text="Waiting text",
        name="New",
        email="new@example.com",
        ip_address="192.0.2.7",
    )
    assert not moderator.is_superuser
    client.force_login(moderator)

    response = client.get(QUEUE + "?status=all")

    assert response.status_code == 200
    content = response.content.decode()
    assert content.index("Waiting text") < content.index("Already public text")
    for detail in ("On walking", "New", "new@example.com", "192.0.2.7", "awaiting moderation"):
        assert detail in content


def test_the_queue_opens_on_what_waits(client, post, moderator):
    CommentFactory(post=post, text="Already public text")
    CommentFactory(post=post, is_public=False, text="Waiting text")
    client.force_login(moderator)

    content = client.get(QUEUE).content.decode()

    assert "Waiting text" in content and "Already public text" not in content


def test_the_queue_says_why_each_comment_waits(client, post, post_comment, moderator, settings):
    settings.QUIRE_COMMENTS_MAX_LINKS = 2
    settings.QUIRE_COMMENTS_BLOCKLIST = ["casino"]
    post_comment(post, comment="casino https://a.example https://b.example https://c.example")
    post_comment(post, comment="Just a first comment.")
    client.force_login(moderator)

    content = client.get(QUEUE).content.decode()

    assert "3 links, more than 2; matched blocked word &#x27;casino&#x27;" in content
    assert "no comment approved before from this address and browser" in content
    by_rule = client.get(QUEUE + "?held=links").content.decode()
    assert "casino https://a.example" in by_rule and "Just a first comment." not in by_rule
    assert "Too many links (1 in 30 days)" in by_rule


def test_a_comments_page_in_the_admin_says_why_it_waits(client, post, post_comment, moderator):
    post_comment(post, comment="A first comment")
    comment = XtdComment.objects.get()
    client.force_login(moderator)
    content = client.get(f"{QUEUE}{comment.pk}/change/").content.decode()
    assert "no comment approved before from this address and browser" in content


def test_the_moderators_email_says_why(post, post_comment, moderator, mailoutbox, settings):
    settings.QUIRE_COMMENTS_BLOCKLIST = ["casino"]
    post_comment(post, comment="A casino nearby")
    assert "Held because: matched blocked word 'casino'" in mailoutbox[0].body


def test_queue_is_closed_to_readers_without_the_group(client, user_factory, post):
    client.force_login(user_factory(username="staffer", is_staff=True))
    assert client.get(QUEUE).status_code == 403


@pytest.mark.parametrize(
    ("action", "is_public", "is_removed", "flag"),
    [
        ("approve_comments", True, False, CommentFlag.MODERATOR_APPROVAL),
        ("reject_comments", False, True, CommentFlag.MODERATOR_DELETION),
        ("mark_spam", False, True, "marked as spam"),
    ],
)
def test_bulk_actions(client, post, moderator, action, is_public, is_removed, flag):
    comments = [CommentFactory(post=post, is_public=False, text=f"c{n}") for n in range(3)]
    client.force_login(moderator)

    response = client.post(
        QUEUE, {"action": action, "_selected_action": [c.pk for c in comments]}, follow=True
    )

    assert response.status_code == 200
    for comment in XtdComment.objects.all():
        assert (comment.is_public, comment.is_removed) == (is_public, is_removed)
    assert CommentFlag.objects.filter(flag=flag, user=moderator).count() == 3
    post.refresh_from_db()
    assert post.comment_count == (3 if is_public else 0)


def test_approval_shows_at_once_on_page_count_and_feed(client, post, moderator):
    comment = CommentFactory(post=post, is_public=False, text="Fresh from the queue")
    client.force_login(moderator)
    client.post(QUEUE, {"action": "approve_comments", "_selected_action": [comment.pk]})
    client.logout()

    page = client.get(post.get_absolute_url()).content.decode()
    assert "Fresh from the queue" in page and "1 comment:" in page
    assert "Fresh from the queue" in client.get("/comments/feed/").content.decode()
    assert "Fresh from the queue" in client.get(f"/comments/feed/{post.pk}/").content.decode()


def publish_in_change_form(client, comment):
    change = f"{QUEUE}{comment.pk}/change/"
    form = client.get(change).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(is_public="on", submit_date_0="2025-01-01", submit_date_1="10:00:00", site=1)
    data["content_type"] = comment.content_type_id
    data.pop("is_removed", None)
    data.pop("followup", None)
    data.pop("user", None)
    response = client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def test_publishing_in_the_change_form_counts_as_approval(client, post, moderator):
    comment = CommentFactory(post=post, is_public=False, email="ada@example.com")
    client.force_login(moderator)
    publish_in_change_form(client, comment)
    post.refresh_from_db()
    assert post.comment_count == 1
    assert CommentFlag.objects.filter(flag=CommentFlag.MODERATOR_APPROVAL).exists()


def test_publishing_in_the_change_form_notifies_followers(
    client, post, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    CommentFactory(post=post, name="Fern", email="fern@example.com", followup=True)
    comment = CommentFactory(post=post, is_public=False, text="Approved by hand")
    assert not moderator.is_superuser
    client.force_login(moderator)

    with django_capture_on_commit_callbacks(execute=True):
        publish_in_change_form(client, comment)

    assert [m.to for m in mailoutbox] == [["fern@example.com"]]
    assert "Approved by hand" in mailoutbox[0].body


def test_saving_an_already_public_comment_notifies_nobody(
    client, post, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    CommentFactory(post=post, name="Fern", email="fern@example.com", followup=True)
    comment = CommentFactory(post=post, text="Public already")
    client.force_login(moderator)

    with django_capture_on_commit_callbacks(execute=True):
        publish_in_change_form(client, comment)

    assert mailoutbox == []


def test_every_admin_page_says_how_many_comments_wait(client, post, moderator):
    CommentFactory(post=post, is_public=False)
    CommentFactory(post=post, is_public=False)
    CommentFactory(post=post)
    client.force_login(moderator)
    for path in ("/admin/", "/admin/password_change/", QUEUE):
        content = client.get(path).content.decode()
        assert "2 comments awaiting moderation" in content, path


def test_the_admin_speaks_of_comments_not_of_the_library(client, moderator):
    client.force_login(moderator)
    content = client.get("/admin/").content.decode()
    assert "Comments Xtd" not in content
    assert ">Comments<" in content
    # One section of each name: the queue under Comments, the moderators' rules under Moderation.
    sections = re.findall(r"<caption>\s*<a [^>]*>([^<]+)</a>", content)
    assert "Moderation" in sections and len(sections) == len(set(sections)), sections
    assert "Black listed domains" not in content


def test_blocked_email_domains_are_kept_with_the_moderators_rules(
    client, moderator, post, post_comment
):
    client.force_login(moderator)
    assert ">Blocked email domains<" in client.get("/admin/").content.decode()
    response = client.post("/admin/comments/blockedemaildomain/add/", {"domain": "spam.example"})
    assert response.status_code == 302
    client.logout()
    post_comment(post, email="bot@spam.example")
    caught = XtdComment.objects.get()
    assert caught.is_removed
    assert caught.hold_reasons.get().detail == "email domain 'spam.example' is blocked"


def test_public_pages_never_count_waiting_comments(client, post, django_assert_num_queries):
    CommentFactory(post=post, is_public=False)
    client.get(post.get_absolute_url())  # Warm the caches a running server has.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(post.get_absolute_url())
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]


@pytest.mark.parametrize(
    ("decision", "is_public", "is_removed"),
    [("approve", True, False), ("reject", False, True), ("spam", False, True)],
)
def test_one_click_on_a_row_decides_that_comment(
    client, post, moderator, decision, is_public, is_removed
):
    waiting = CommentFactory(post=post, is_public=False, text="Decide me", name="Ada")
    other = CommentFactory(post=post, is_public=False, text="Leave me")
    client.force_login(moderator)
    queue = client.get(QUEUE).content.decode()
    assert f'name="decide" value="{decision}:{waiting.pk}"' in queue

    response = client.post(QUEUE, {"decide": f"{decision}:{waiting.pk}"}, follow=True)

    waiting.refresh_from_db()
    other.refresh_from_db()
    assert (waiting.is_public, waiting.is_removed) == (is_public, is_removed)
    assert not other.is_public and not other.is_removed
    assert response.redirect_chain[-1][0] == QUEUE
    assert "Comment by Ada" in response.content.decode()


def test_staff_outside_the_group_cannot_decide(client, user_factory, post):
    from django.contrib.auth.models import Permission

    staffer = user_factory(username="viewer", is_staff=True)
    staffer.user_permissions.add(Permission.objects.get(codename="view_xtdcomment"))
    waiting = CommentFactory(post=post, is_public=False)
    client.force_login(staffer)
    assert client.post(QUEUE, {"decide": f"approve:{waiting.pk}"}).status_code == 403
    waiting.refresh_from_db()
    assert not waiting.is_public


def test_the_spam_folder_holds_what_the_checks_caught(
    client, post, post_comment, moderator, settings
):
    settings.QUIRE_COMMENTS_SPAM_WORDS = ["casino"]
    post_comment(post, comment="casino casino")
    post_comment(post, comment="An honest first comment")
    client.force_login(moderator)

    waiting = client.get(QUEUE).content.decode()
    spam = client.get(QUEUE + "?status=spam").content.decode()

    assert "An honest first comment" in waiting and "casino casino" not in waiting
    assert "casino casino" in spam and "matched spam word &#x27;casino&#x27;" in spam
    assert "An honest first comment" not in spam


def test_a_comment_a_moderator_marks_as_spam_is_listed_as_spam_not_as_removed(
    client, post, moderator
):
    spam = CommentFactory(post=post, is_public=False, text="Cheap watches here")
    rejected = CommentFactory(post=post, is_public=False, text="Off topic, sorry")
    client.force_login(moderator)
    client.post(QUEUE, {"decide": f"spam:{spam.pk}"})
    client.post(QUEUE, {"decide": f"reject:{rejected.pk}"})

    folder = client.get(QUEUE + "?status=spam").content.decode()
    assert "Cheap watches here" in folder and "Off topic, sorry" not in folder
    everything = client.get(QUEUE + "?status=all").content.decode()
    assert everything.count("<strong>spam</strong>") == 1
    assert everything.count("<strong>removed</strong>") == 1
    removed = client.get(QUEUE + "?status=removed").content.decode()
    assert "Off topic, sorry" in removed


def test_bots_stopped_by_the_form_are_counted_not_stored(client, post, post_comment, moderator):
    from comments.models import BotCount

    post_comment(post, honeypot="https://spam.example/")
    post_comment(post, honeypot="https://spam.example/", comment="again")
    assert not XtdComment.objects.exists()
    assert BotCount.objects.get().count == 2
    client.force_login(moderator)
    content = client.get(QUEUE).content.decode()
    assert "filled the hidden field 2" in content


def test_each_row_shows_the_whole_comment_its_author_history_and_post(client, post, moderator):
    long_text = "A long and careful comment. " * 30
    CommentFactory(post=post, email="ada@example.com", text="Earlier, approved")
    CommentFactory(post=post, email="ADA@example.com", is_removed=True, is_public=False)
    CommentFactory(
        post=post,
        email="ada@example.com",
        is_public=False,
        text=long_text,
        url="https://ada.example/",
    )
    client.force_login(moderator)

    content = client.get(QUEUE).content.decode()

    assert long_text.strip() in content  # Not cut short: the whole comment is on the row.
    assert "1 approved, 1 refused before" in content
    assert 'href="https://ada.example/"' in content
    assert f'<a href="{post.get_absolute_url()}">On walking</a>' in content
