"""How much a public page costs, in time and queries, as the blog grows.

Usage (from the repo root, after `make test` or `make run` has made .venv):

    .venv/bin/python bench/pages.py                     # 100 and 10,000 posts on SQLite
    .venv/bin/python bench/pages.py --sizes 100 100000  # any sizes
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/quire_bench .venv/bin/python bench/pages.py

It builds a throwaway database (a temporary SQLite file, or the DATABASE_URL database,
emptied first), fills it with posts in bulk, renders each page through Django's test client
and prints the median time and the number of queries per page at each size.
"""

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='quire-bench-')}/bench.db"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from taggit.models import Tag  # noqa: E402

from blog.models import Post, TaggedPost  # noqa: E402
from blog.pagination import encode_cursor  # noqa: E402
from blog.services import posts_create_many  # noqa: E402

BODY = (
    "A paragraph about walking, reading and writing, long enough to look like a post. " * 12
    + "\n\n## A heading\n\nAnd a second paragraph with `code` and a [link](https://example.com)."
)
BATCH = 2_000


def fill(size):
    """Grow the blog to `size` published posts, in bulk: saving one by one would take hours."""
    author = get_user_model().objects.get_or_create(username="bench")[0]
    tag = Tag.objects.get_or_create(name="bench", slug="bench")[0]
    start = Post.objects.count()
    now = timezone.now()
    for first in range(start, size, BATCH):
        posts = [
            Post(
                title=f"Benchmark post {n}",
                slug=f"benchmark-post-{n}",
                author=author,
                body=BODY,
                status=Post.Status.PUBLISHED,
                published_at=now - datetime.timedelta(hours=n),
            )
            for n in range(first, min(first + BATCH, size))
        ]
        created = posts_create_many(posts=posts)
        TaggedPost.objects.bulk_create(
            [TaggedPost(content_object=post, tag=tag) for post in created[::10]]
        )
        print(f"  filled {min(first + BATCH, size):,} / {size:,} posts", file=sys.stderr)
    # A live database has planner statistics; a table filled a second ago does not.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def pages():
    newest_first = Post.objects.published()
    middle = newest_first[Post.objects.count() // 2]
    # Page 5 holds the 41st to 50th newest posts: the ones older than the 40th.
    fortieth = newest_first[4 * settings.QUIRE_POSTS_PER_PAGE - 1]
    middle_tagged = newest_first.filter(tags__slug="bench")[Post.objects.count() // 20]
    local = timezone.localtime(middle.published_at)
    return {
        "home": "/",
        "home, page 5": f"/?before={encode_cursor(fortieth)}",
        "home, middle": f"/?before={encode_cursor(middle)}",
        "post": middle.get_absolute_url(),
        "tag": "/tag/bench/",
        "tag, middle": f"/tag/bench/?before={encode_cursor(middle_tagged)}",
        "archive": "/archive/",
        "month": f"/{local.year}/{local.month:02d}/",
        "search": "/search/?q=walking",  # a word on every post
        "search, one": f"/search/?q={middle.title.split()[-1]}",  # a number in one title
        "search, syntax": '/search/?q="second+paragraph"+-nothing+OR+links',
        "feed": "/feed/",
    }


def measure(client, url, repeat):
    client.get(url)  # warm the template and connection
    queries = []
    with connection.execute_wrapper(
        lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)
    ):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000, len(queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 10_000])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, allow_cascade=True, verbosity=0)
    client = Client(HTTP_HOST="127.0.0.1")
    results = {}
    for size in sorted(args.sizes):
        fill(size)
        results[size] = {name: measure(client, url, args.repeat) for name, url in pages().items()}

    sizes = sorted(results)
    header = "page".ljust(14) + "".join(f"{f'{s:,} posts':>24}" for s in sizes)
    print(header)
    print("".ljust(14) + "".join(f"{'ms (median)  queries':>24}" for _ in sizes))
    for name in results[sizes[0]]:
        row = name.ljust(14)
        for size in sizes:
            ms, queries = results[size][name]
            row += f"{ms:>14.2f}{queries:>10}"
        print(row)


if __name__ == "__main__":
    main()
