"""The benchmark's blog: posts, labels and comments in bulk, through the project's write paths."""

import datetime
import sys
import time

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from taggit.models import Tag

from blog.models import Post, TaggedPost
from blog.services import posts_create_many
from comments.services import comments_create_many

SIZES = {
    "small": {"posts": 200, "comments": 4_000, "labels": 50},
    "large": {"posts": 100_000, "comments": 1_000_000, "labels": 2_000},
}
# The post page measured has exactly this many public comments, whatever the size.
TARGET_COMMENTS = 50
LABELS_PER_POST = 3
# Four hours apart: a month holds ~180 posts at every size, so month pages compare.
POST_SPACING = datetime.timedelta(hours=4)
POSTS_PER_BATCH = 1_000
BODY = (
    "A paragraph about walking, reading and writing, long enough to look like a post. " * 12
    + "\n\n## A heading\n\nAnd a second paragraph with `code` and a [link](https://example.com)."
)
COMMENT = (
    "Thank you for this; I read it twice. The part about {topic} reminded me of a walk "
    "I took last spring, and I have been meaning to write about it since."
)
TOPICS = ("notebooks", "the library", "slow mornings", "old maps", "letters", "rain")


def build(spec, *, now=None):
    """Fill an empty, migrated database; returns what the pages need and how long it took."""
    now = now or timezone.now()
    started = time.perf_counter()
    author = get_user_model().objects.create(username="bench")
    labels = Tag.objects.bulk_create(
        [Tag(name=f"Label {n}", slug=f"label-{n}") for n in range(spec["labels"])]
    )
    target_index = spec["posts"] // 2
    per_post, extra = divmod(spec["comments"] - TARGET_COMMENTS, spec["posts"] - 1)
    for first in range(0, spec["posts"], POSTS_PER_BATCH):
        indexes = range(first, min(first + POSTS_PER_BATCH, spec["posts"]))
        posts = posts_create_many(
            posts=[
                Post(
                    title=f"Benchmark post {n}",
                    slug=f"benchmark-post-{n}",
                    author=author,
                    body=f"Post {n}. {BODY}",
                    status=Post.Status.PUBLISHED,
                    published_at=now - POST_SPACING * (n + 1),
                )
                for n in indexes
            ]
        )
        TaggedPost.objects.bulk_create(
            [
                TaggedPost(content_object=post, tag=labels[label])
                for n, post in zip(indexes, posts, strict=True)
                for label in _labels_of(n, spec["labels"])
            ]
        )
        counts = [TARGET_COMMENTS if n == target_index else per_post + (n < extra) for n in indexes]
        _comment(posts, counts, now)
        print(f"  {indexes[-1] + 1:,} / {spec['posts']:,} posts", file=sys.stderr, flush=True)
    # A live database has planner statistics; tables filled a second ago have none.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    target = Post.objects.get(slug=f"benchmark-post-{target_index}")
    return {"target": target, "label": labels[0], "seconds": time.perf_counter() - started}


def _labels_of(n, count):
    return sorted({n % count, (7 * n + 1) % count, (13 * n + 5) % count})


def _comment(posts, counts, now):
    """A quarter of each post's comments answer one of its first comments, as threads do."""
    roots, replies = [], []
    for post, count in zip(posts, counts, strict=True):
        replying = count // 4
        roots += [_comment_spec(post, count - replying, k, now) for k in range(count - replying)]
        replies.append((post, replying))
    created = comments_create_many(comments=roots)
    first_of = {}
    for comment in created:
        first_of.setdefault(comment.object_pk, []).append(comment)
    answers = []
    for post, count in replies:
        parents = first_of.get(str(post.pk), [])[:5]
        answers += [
            {**_comment_spec(post, count, k, now), "parent": parents[k % len(parents)]}
            for k in range(count)
        ]
    comments_create_many(comments=answers)


def _comment_spec(post, count, k, now):
    reader = (post.pk * 31 + k) % 5_000
    return {
        "post": post,
        "name": f"Reader {reader}",
        "email": f"reader{reader}@example.com",
        "text": COMMENT.format(topic=TOPICS[k % len(TOPICS)]),
        "submit_date": min(now, post.published_at + datetime.timedelta(minutes=10 * (k + 1))),
        "ip_address": "127.0.0.1",
    }


def migrate_empty():
    call_command("migrate", verbosity=0, interactive=False)
