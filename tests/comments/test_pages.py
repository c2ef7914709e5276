"""Long threads come in pages of whole threads, and every comment's link finds its page."""

import datetime as dt
import re
from unittest import mock

import pytest
from django.template import Context, Template

from comments.services import posts_refresh_comment_counts
from comments.thread import comment_time
from comments.xtd import XtdComment
from tests.factories import CommentFactory

from .test_queries import queries_for

pytestmark = pytest.mark.django_db

NEWER = re.compile(r'<a class="comment-pages-newer" href="([^"]+)" rel="next">Newer comments')
OLDER = re.compile(r'<a class="comment-pages-older" href="([^"]+)" rel="prev">« Older comments')


def add_threads(post, count, replies_each=0):
    """`count` top-level comments, each with `replies_each` replies; the count kept once."""
    with mock.patch("comments.signals.posts_refresh_comment_counts"):
        for n in range(count):
            root = CommentFactory(post=post, text=f"Thread {n}")
            for m in range(replies_each):
                CommentFactory(post=post, parent=root, text=f"Reply {m} to thread {n}")
    posts_refresh_comment_counts(post_ids=[post.pk])


def shown(page):
    return page.count('<li class="comment')


def link(pattern, page):
    found = pattern.search(page)
    return found and found.group(1).replace("&amp;", "&")


def test_450_comments_come_in_pages_of_200(client, post):
    add_threads(post, 450)
    first = client.get(post.get_absolute_url()).content.decode()
    assert shown(first) == 200 and "Thread 0<" in first and "Thread 199<" in first
    assert "450 comments:" in first
    assert link(OLDER, first) is None

    second = client.get(link(NEWER, first)).content.decode()
    assert shown(second) == 200 and "Thread 200<" in second
    assert link(NEWER, first).endswith("#comments")

    third = client.get(link(NEWER, second)).content.decode()
    assert shown(third) == 50 and "Thread 449<" in third
    assert link(NEWER, third) is None

    assert link(OLDER, third) == link(NEWER, first)
    assert link(OLDER, second) == f"{post.get_absolute_url()}#comments"


def test_a_thread_is_never_split_across_pages(client, post, settings):
    settings.QUIRE_COMMENTS_PER_PAGE = 2
    add_threads(post, 5, replies_each=3)
    first = client.get(post.get_absolute_url()).content.decode()
    assert shown(first) == 8
    assert "Reply 2 to thread 1<" in first and "Thread 2<" not in first
    last = client.get(link(NEWER, client.get(link(NEWER, first)).content.decode()))
    assert shown(last.content.decode()) == 4


def test_a_comment_link_opens_the_page_that_shows_it(client, post, settings):
    settings.QUIRE_COMMENTS_PER_PAGE = 3
    add_threads(post, 8, replies_each=1)
    for comment in XtdComment.objects.all():
        response = client.get(comment.get_absolute_url(), follow=True)
        assert f'id="c{comment.pk}"' in response.content.decode(), comment.comment
    first_page = XtdComment.objects.get(comment="Reply 0 to thread 2")
    assert client.get(first_page.get_absolute_url())["Location"] == post.get_absolute_url()


def test_a_reply_to_a_removed_comment_keeps_its_page(client, post, settings):
    settings.QUIRE_COMMENTS_PER_PAGE = 2
    add_threads(post, 5, replies_each=1)
    XtdComment.objects.filter(comment="Thread 3").update(is_removed=True)
    orphan = XtdComment.objects.get(comment="Reply 0 to thread 3")
    page = client.get(orphan.get_absolute_url(), follow=True).content.decode()
    assert f'id="c{orphan.pk}"' in page and "Thread 2<" in page


def last_page(client, post):
    newest = XtdComment.objects.order_by("-pk").first()
    return client.get(newest.get_absolute_url())["Location"] if newest else post.get_absolute_url()


def test_pages_cost_the_same_with_0_300_and_3000_comments(client, post_factory):
    counts = []
    for size in (0, 300, 3000):
        post = post_factory()
        add_threads(post, size)
        counts.append(
            (
                queries_for(client, post.get_absolute_url()),
                queries_for(client, last_page(client, post)),
            )
        )
    assert counts[0] == counts[1] == counts[2]
    assert max(counts[0]) <= 6


def test_a_waiting_comment_is_marked_in_its_meta_not_in_its_text(client, post, post_comment):
    post_comment(post, comment="Held for a moderator")
    page = client.get(post.get_absolute_url()).content.decode()
    meta = page[page.index('<p class="comment-meta">') : page.index('<div class="comment-body">')]
    assert "Awaiting moderation." in meta
    body = page[page.index('<div class="comment-body">') :]
    assert body.startswith('<div class="comment-body"><p>Held for a moderator</p></div>')


@pytest.mark.parametrize("hour", [0, 9, 12, 23])
def test_comment_times_read_as_the_date_filter_writes_them(hour):
    moment = dt.datetime(2024, 3, 7, hour, 5, tzinfo=dt.UTC)
    expected = Template(r'{{ moment|date:"F j, Y \a\t g:i A" }}').render(
        Context({"moment": moment})
    )
    assert comment_time(moment) == expected


def test_an_odd_comments_address_still_shows_a_page(client, post, settings):
    settings.QUIRE_COMMENTS_PER_PAGE = 2
    add_threads(post, 3)
    garbled = client.get(f"{post.get_absolute_url()}?comments=abc").content.decode()
    assert shown(garbled) == 2 and link(NEWER, garbled)
    past_the_end = client.get(f"{post.get_absolute_url()}?comments=999999").content.decode()
    assert shown(past_the_end) == 0
    assert link(OLDER, past_the_end) == f"{post.get_absolute_url()}#comments"


@pytest.mark.parametrize(
    "first_name, last_name, typed, shown_as",
    [
        ("Mona", "Author", "M.", "Mona Author"),  # The account's full name wins.
        ("", "", "Mona typed", "Mona typed"),  # Else the name the comment carries.
        ("", "", "", "mona"),  # Else the username.
    ],
)
def test_a_comment_from_an_account_shows_the_name_the_library_gives_it(
    client, post, user_factory, first_name, last_name, typed, shown_as
):
    account = user_factory(username="mona", first_name=first_name, last_name=last_name)
    comment = CommentFactory(post=post, name=typed, text="From an account.")
    XtdComment.objects.filter(pk=comment.pk).update(user=account)
    assert XtdComment.objects.get(pk=comment.pk).name == shown_as
    page = client.get(post.get_absolute_url()).content.decode()
    assert f'<span class="comment-author">{shown_as}</span> said…' in page


@pytest.mark.parametrize("trusted", [True, False])
def test_after_commenting_the_reader_lands_on_the_page_that_shows_their_comment(
    client, post, settings, trusted
):
    from .conftest import form_data

    settings.QUIRE_COMMENTS_PER_PAGE = 3
    settings.QUIRE_COMMENTS_MIN_FILL_SECONDS = 0
    settings.QUIRE_COMMENTS_HOLD_FIRST_TIME = not trusted
    add_threads(post, 7)
    response = client.post("/comments/post/", form_data(post, comment="My own, on a late page"))
    landed = client.get(response["Location"], follow=True)
    page = landed.content.decode()
    mine = XtdComment.objects.get(comment="My own, on a late page")
    assert f'id="c{mine.pk}"' in page, landed.redirect_chain
    assert "?comments=" in landed.redirect_chain[-1][0]
    said = "has been published" if trusted else "awaiting moderation"
    assert said in page
