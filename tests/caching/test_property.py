"""Any interleaving of writes, clock and reads: every cached read equals a fresh render."""

import datetime as dt

import time_machine
from django.core.cache import caches
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blog.models import Post, post_path
from blog.services import post_change_status
from comments.selectors import public_comments
from comments.services import comment_create, comments_reject
from tests.factories import PageFactory, PostFactory, UserFactory

# Twenty minutes before the new year: advancing the clock may also turn the footer's year.
START = dt.datetime(2024, 12, 31, 23, 40, tzinfo=dt.UTC)
POSTS = 4
LABELS = ("rivers", "hills")
FIXED_PAGES = ["/", "/feed/", "/tag/rivers/", "/2024/12/", "/sitemap.xml", "/comments/feed/",
               "/archive/", "/tag/hills/feed/", "/feed/rss/", "/p/about/"]  # fmt: skip

post_index = st.integers(0, POSTS - 1)
# Reads as often as writes, and the clock often moves: between writes pages are served stored.
read = st.tuples(st.just("read"), st.integers(0, len(FIXED_PAGES) + POSTS - 1))
actions = st.one_of(
    *[read] * 9,
    st.tuples(st.just("publish"), post_index),
    st.tuples(st.just("unpublish"), post_index),
    st.tuples(st.just("edit title"), post_index, st.sampled_from(["Larks", "Owls", "Herons"])),
    st.tuples(st.just("delete"), post_index),
    st.tuples(st.just("add label"), post_index, st.sampled_from(LABELS)),
    st.tuples(st.just("add public comment"), post_index),
    st.tuples(st.just("hide comment"), st.integers(0, 5)),
    st.tuples(st.just("schedule"), post_index, st.integers(1, 90)),
    *[st.tuples(st.just("advance clock"), st.integers(1, 30))] * 3,
)


class World:
    """Posts with comments closed (comments still show), an anchor post and comment that keep
    every feed from being empty (an empty feed says "updated now")."""

    def __init__(self):
        author = UserFactory(username="author")
        anchor = PostFactory(
            title="Anchor", slug="anchor", author=author, allow_comments=False,
            published_at=START - dt.timedelta(days=30), tags=list(LABELS),
        )  # fmt: skip
        comment_create(post=anchor, name="Old", email="o@example.com", text="Still here.")
        self.moderator = UserFactory(username="mona", is_staff=True)
        PageFactory(title="About", slug="about")
        self.posts = [
            PostFactory(
                title=f"Post {n}",
                slug=f"post-{n}",
                author=author,
                allow_comments=False,
                published_at=START - dt.timedelta(hours=n + 1),
                draft=n % 2 == 1,
            )  # fmt: skip
            for n in range(POSTS)
        ]
        self.deleted = set()
        self.comments = 0

    def paths(self):
        return FIXED_PAGES + [post_path(post.published_at, post.slug) for post in self.posts]

    def apply(self, action, traveller):
        name, *args = action
        if name == "advance clock":
            traveller.shift(dt.timedelta(minutes=args[0]))
            return
        if name == "hide comment":
            comments = list(public_comments().order_by("pk"))
            if comments:
                comments_reject(
                    comments=[comments[args[0] % len(comments)]], moderator=self.moderator
                )
            return
        index = args[0]
        if index in self.deleted:
            return
        post = self.posts[index]
        if name == "publish":
            post_change_status(post=post, status=Post.Status.PUBLISHED)
        elif name == "unpublish":
            post_change_status(post=post, status=Post.Status.DRAFT)
        elif name == "edit title":
            post.title = f"{args[1]} {index}"
            post.save()
        elif name == "delete":
            post.delete()
            self.deleted.add(index)
        elif name == "add label":
            post.tags.add(args[1])
        elif name == "add public comment":
            self.comments += 1
            comment_create(post=post, name="Reader", email="r@example.com",
                           text=f"Comment number {self.comments}.")  # fmt: skip
        elif name == "schedule":
            post.status = Post.Status.PUBLISHED
            post.published_at = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=args[1])
            post.save()


@settings(
    max_examples=20,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(script=st.lists(actions, min_size=6, max_size=30))
def test_every_cached_read_equals_a_fresh_render(
    wsgi, page_cache, django_capture_on_commit_callbacks, script
):
    page_cache.clear()
    caches["default"].clear()
    with time_machine.travel(START, tick=False) as traveller, transaction.atomic():
        with django_capture_on_commit_callbacks(execute=True):
            world = World()
        for action in script:
            if action[0] == "read":
                paths = world.paths()
                path = paths[action[1] % len(paths)]
                cached, fresh = wsgi.get(path), wsgi.fresh(path)
                assert cached.status == fresh.status, (path, script)
                assert cached.body == fresh.body, (path, script)
            else:
                with django_capture_on_commit_callbacks(execute=True):
                    world.apply(action, traveller)
        transaction.set_rollback(True)
