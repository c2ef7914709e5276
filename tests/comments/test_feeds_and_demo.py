import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from blog.models import Post
from comments.xtd import XtdComment
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def test_feeds_show_only_public_comments_on_published_posts(client, post, post_factory):
    draft = post_factory(draft=True)
    CommentFactory(post=post, text="Visible comment")
    CommentFactory(post=post, text="Pending comment", is_public=False)
    CommentFactory(post=post, text="Removed comment", is_removed=True)
    CommentFactory(post=draft, text="Comment on a draft")

    site_feed = client.get("/comments/feed/")
    assert site_feed["Content-Type"].startswith("application/atom+xml")
    body = site_feed.content.decode()
    assert "Visible comment" in body
    for hidden in ("Pending comment", "Removed comment", "Comment on a draft"):
        assert hidden not in body

    post_feed = client.get(f"/comments/feed/{post.pk}/").content.decode()
    assert "Visible comment" in post_feed and "Pending comment" not in post_feed
    visible = XtdComment.objects.get(comment="Visible comment")
    assert visible.get_absolute_url() in post_feed  # The redirect to the page that shows it.


def test_post_feed_of_a_draft_is_not_found(client, post_factory):
    assert client.get(f"/comments/feed/{post_factory(draft=True).pk}/").status_code == 404


def test_post_page_links_its_comment_feed(client, post):
    page = client.get(post.get_absolute_url()).content.decode()
    assert f'type="application/atom+xml" title="Comments on {post.title}"' in page
    assert f'href="/comments/feed/{post.pk}/"' in page


def test_demo_comments_are_loaded_once_with_some_waiting(post_factory):
    posts = [post_factory() for _ in range(3)]
    call_command("load_demo_comments")
    count = XtdComment.objects.count()
    assert count > 0
    assert XtdComment.objects.filter(is_public=False).exists()
    assert sum(p.comment_count for p in type(posts[0]).objects.all()) == (
        XtdComment.objects.filter(is_public=True).count()
    )

    call_command("load_demo_comments")
    assert XtdComment.objects.count() == count


def test_demo_comments_are_written_after_their_post_and_after_what_they_answer(post_factory):
    now = timezone.now()
    for days_ago in (1, 40, 400):  # A post of yesterday must not have comments of last week.
        post_factory(published_at=now - datetime.timedelta(days=days_ago))
    call_command("load_demo_comments")
    written = dict(XtdComment.objects.values_list("pk", "submit_date"))
    for comment in XtdComment.objects.all():
        post = Post.objects.get(pk=comment.object_pk)
        assert post.published_at < comment.submit_date <= timezone.now(), comment.comment
        if comment.parent_id != comment.pk:  # The library makes a top comment its own parent.
            assert written[comment.parent_id] < comment.submit_date, comment.comment


def test_each_waiting_demo_comment_says_in_the_queue_why_it_waits(post_factory, admin_client):
    for _ in range(3):
        post_factory()
    call_command("load_demo_comments")
    waiting = XtdComment.objects.filter(is_public=False)
    assert all(comment.hold_reasons.exists() for comment in waiting)
    queue = admin_client.get("/admin/django_comments_xtd/xtdcomment/").content.decode()
    assert "no comment approved before from this address and browser" in queue


def test_every_page_advertises_the_site_wide_comments_feed(client, post):
    for url in ("/", post.get_absolute_url(), "/archive/"):
        content = client.get(url).content.decode()
        assert (
            'type="application/atom+xml" title="Quire: latest comments" href="/comments/feed/"'
            in (content)
        )
        assert '<a href="/comments/feed/">Comments feed</a>' in content


def test_comment_feeds_are_valid_atom_and_open_to_crawlers(client, post):
    """RFC 4287: every entry has an <updated>; robots.txt keeps /comments/ out, not its feeds."""
    import xml.etree.ElementTree as ET

    CommentFactory(post=post, text="One")
    CommentFactory(post=post, text="Two")
    atom = "{http://www.w3.org/2005/Atom}"
    for path in ("/comments/feed/", f"/comments/feed/{post.pk}/"):
        entries = ET.fromstring(client.get(path).content).findall(f"{atom}entry")
        assert len(entries) == 2
        assert all(entry.find(f"{atom}updated") is not None for entry in entries), path
    robots = client.get("/robots.txt").content.decode()
    assert "Allow: /comments/feed/" in robots and "Disallow: /comments/" in robots
