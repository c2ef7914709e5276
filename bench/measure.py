"""The bench's Django side (imported after django.setup()): the database, the pages, the query
counts, and the report with its targets."""

import datetime
import json
import os
import platform
import re
import urllib.parse
import wsgiref.util
from pathlib import Path

import psycopg
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from blog.models import Post
from comments.selectors import post_comments

from . import dataset, load

# The targets: reported, never asserted.
FLOOR_SHARE = 0.9  # a cached page serves at least this share of the bare WSGI floor's req/s
UNCACHED_SHARE = 0.1  # the uncached post page serves at least this share of the cached one
UNCACHED_P99_MS = 30
LARGE_VS_SMALL = 1.3
WORKER_RSS_MB = 120
MEASURED_POST = "post, 50 comments"
# Not in caching.middleware's CACHEABLE_URL_NAMES by design: left out of the floor target.
NEVER_CACHED = {"search", "post a comment"}


def database_name():
    return connection.vendor


def build(size):
    _recreate_postgres_database()
    # WhiteNoise's manifest storage needs collectstatic's manifest to render any page.
    call_command("collectstatic", interactive=False, verbosity=0)
    dataset.migrate_empty()
    return dataset.build(dataset.SIZES[size])


def _recreate_postgres_database():
    if connection.vendor != "postgresql":
        return
    name = settings.DATABASES["default"]["NAME"]
    if not name.startswith("quire_bench_"):
        raise SystemExit(f"bench drops its database: name it quire_bench_..., not {name!r}")
    with _maintenance_connection() as maintenance:
        maintenance.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        maintenance.execute(f'CREATE DATABASE "{name}"')


def drop_database():
    """SQLite's file goes with the temporary folder; PostgreSQL's database is dropped."""
    if connection.vendor != "postgresql":
        return
    connections.close_all()
    with _maintenance_connection() as maintenance:
        maintenance.execute(f'DROP DATABASE IF EXISTS "{settings.DATABASES["default"]["NAME"]}"')


def _maintenance_connection():
    db = settings.DATABASES["default"]
    return psycopg.connect(
        dbname="postgres",
        user=db["USER"],
        password=db["PASSWORD"] or None,
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        autocommit=True,
    )


def pages(built):
    """Each measured page's path; for posting, the pages that may hold a comment form."""
    target, label = built["target"], built["label"]
    month = timezone.localtime(target.published_at)
    newest = Post.objects.published().first()
    first_comment = post_comments(post=newest).order_by("pk").first()
    return {
        "home": "/",
        MEASURED_POST: target.get_absolute_url(),
        "label": reverse("blog:tag_detail", kwargs={"slug": label.slug}),
        "month archive": f"/{month.year}/{month.month:02d}/",
        "search": "/search/?q=walking",
        "atom feed": reverse("blog:feed_atom"),
        # Whichever has the form: the post page, or the reply page of its first comment.
        "comment form": [
            newest.get_absolute_url(),
            reverse("comments-xtd-reply", kwargs={"cid": first_comment.pk}),
        ],
    }


def count_queries(pages):
    """Queries per request, through the WSGI application the servers run (cache fast path
    included), each page asked twice so that the second request meets a warm cache."""
    from config.wsgi import application

    counts = {}
    for mode, enabled in (("cache on", True), ("cache off", False)):
        counts[mode] = {}
        with override_settings(QUIRE_PAGE_CACHE=enabled):
            for name, path in pages.items():
                if name == "comment form":
                    counts[mode]["post a comment"] = _count_posting(path, mode)
                    continue
                _call(application, path)
                with CaptureQueriesContext(connection) as queries:
                    status = _call(application, path)
                if status != "200 OK":
                    raise RuntimeError(f"{path} answered {status} in the bench process")
                counts[mode][name] = len(queries)
    return counts


def _call(application, path):
    environ = {"HTTP_ACCEPT_ENCODING": load.ACCEPT_ENCODING}
    wsgiref.util.setup_testing_defaults(environ)
    environ["PATH_INFO"], _, environ["QUERY_STRING"] = path.partition("?")
    answer = {}
    body = application(environ, lambda status, headers, exc_info=None: answer.update(s=status))
    try:
        b"".join(body)
    finally:
        getattr(body, "close", lambda: None)()
    return answer["s"]


def _count_posting(form_paths, mode):
    client = Client(enforce_csrf_checks=True, HTTP_HOST="127.0.0.1")
    for path in form_paths:
        form = load.comment_form(client.get(path).content.decode())
        if form:
            break
    else:
        raise RuntimeError(f"none of {form_paths} has a comment form")
    action, fields, fresh_url = form
    if fresh_url:  # A cached page's form: renewed as comment-form.js renews it.
        fresh = client.get(fresh_url).json()
        action, fields = fresh["action"], load.renewed(fields, fresh)
    data = load.filled(fields, f"A comment whose queries are counted, {mode}.")
    with CaptureQueriesContext(connection) as queries:
        response = client.post(urllib.parse.urljoin(path, action), data)
    if response.status_code != 302:
        problem = re.findall(
            r"<ul class=\"errorlist[^>]*>(.*?)</ul>", response.content.decode(), re.S
        )
        raise RuntimeError(f"posting a comment answered {response.status_code}, not 302: {problem}")
    return len(queries)


def report(*, size, built, args, results, references, queries, rss, tools, command):
    floor = references["bare WSGI"]["requests_per_second"]
    for mode, by_page in results.items():
        for name, figures in by_page.items():
            figures["queries"] = queries[mode][name]
            figures["share_of_floor"] = figures["requests_per_second"] / floor
    rss_mb = {
        mode: {str(pid): kb / 1024 for pid, kb in workers.items()} for mode, workers in rss.items()
    }
    report = {
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "command": command,
        "size": size,
        "data": {**dataset.SIZES[size], "build_seconds": round(built["seconds"], 1)},
        "database": database_name(),
        "page_cache": settings.CACHES["pages"]["BACKEND"].rsplit(".", 1)[-1],
        "machine": _machine(tools),
        "load": {
            "duration": args.duration,
            "connections": args.connections,
            "workers": 2,
            "accept_encoding": load.ACCEPT_ENCODING,
        },
        "pages": results,
        "references": {
            **references,
            "floor_share_of_nginx": floor / references["nginx"]["requests_per_second"],
        },
        "worker_rss_mb": rss_mb,
    }
    report["targets"] = _targets(report, args.results)
    return report


def _machine(tools):
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        # The box is shared: a load above nproc means the figures are the neighbours' too.
        "load_average_at_end": [round(load, 2) for load in os.getloadavg()],
        "python": platform.python_version(),
        **tools,
    }


def _targets(report, results_dir):
    on, off = report["pages"]["cache on"], report["pages"]["cache off"]
    cached_post = on[MEASURED_POST]["requests_per_second"]
    worst_rss = max(mb for workers in report["worker_rss_mb"].values() for mb in workers.values())
    targets = [
        _target(
            f"cached {name} / bare WSGI req/s",
            figures["share_of_floor"],
            f">= {FLOOR_SHARE}",
            figures["share_of_floor"] >= FLOOR_SHARE,
        )
        for name, figures in on.items()
        if name not in NEVER_CACHED
    ]
    share = off[MEASURED_POST]["requests_per_second"] / cached_post
    p99 = off[MEASURED_POST]["p99_ms"]
    targets += [
        _target(
            "uncached / cached post page req/s",
            share,
            f">= {UNCACHED_SHARE}",
            share >= UNCACHED_SHARE,
        ),
        _target("uncached post page p99 ms", p99, f"< {UNCACHED_P99_MS}", p99 < UNCACHED_P99_MS),
        _target("worst worker RSS MB", worst_rss, f"< {WORKER_RSS_MB}", worst_rss < WORKER_RSS_MB),
    ]
    small = _latest(results_dir, "small", report["database"]) if report["size"] == "large" else None
    if small:
        for mode in ("cache on", "cache off"):
            ratios = {
                name: report["pages"][mode][name]["p50_ms"] / figures["p50_ms"]
                for name, figures in small["pages"][mode].items()
            }
            worst = max(ratios, key=ratios.get)
            targets.append(
                _target(
                    f"large / small p50, worst page ({worst}), {mode}",
                    ratios[worst],
                    f"<= {LARGE_VS_SMALL}",
                    ratios[worst] <= LARGE_VS_SMALL,
                )
            )
    return targets


def _target(name, value, goal, met):
    return {"target": name, "value": round(value, 3), "goal": goal, "met": met}


def _latest(results_dir, size, database):
    found = sorted(Path(results_dir).glob(f"*-{size}-{database}.json"))
    return json.loads(found[-1].read_text()) if found else None


def print_table(report):
    machine = report["machine"]
    print(
        f"\n{report['size']} ({report['data']['posts']:,} posts, {report['data']['comments']:,} "
        f"comments, {report['data']['labels']:,} labels) on {report['database']}, "
        f"page cache in {report['page_cache']}; {machine['nproc']} x {machine['cpu']}; "
        f"wrk {report['load']['connections']} connections, {report['load']['duration']} each; "
        f"load average at the end {machine['load_average_at_end']}"
    )
    header = f"{'page':<18}{'mode':<11}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
    print(header + f"{'queries':>9}{'bytes':>8}{'errors':>8}  {'x-cache':<8}{'/ floor':>8}")
    for mode, by_page in report["pages"].items():
        for name, f in by_page.items():
            print(
                f"{name:<18}{mode:<11}{f['requests_per_second']:>9.0f}{f['p50_ms']:>9.2f}"
                f"{f['p99_ms']:>9.2f}{f['queries']:>9}{f['bytes_per_response']:>8}"
                f"{f['errors']:>8}  {f.get('x_cache', ''):<8}{f['share_of_floor']:>8.2f}"
            )
    for name, f in report["references"].items():
        if isinstance(f, dict):
            print(
                f"{name:<18}{'reference':<11}{f['requests_per_second']:>9.0f}{f['p50_ms']:>9.2f}"
                f"{f['p99_ms']:>9.2f}{'':>9}{f['bytes_per_response']:>8}{f['errors']:>8}"
            )
    print(f"bare WSGI / nginx req/s: {report['references']['floor_share_of_nginx']:.2f}")
    for mode, workers in report["worker_rss_mb"].items():
        print(f"worker RSS after {mode}: " + ", ".join(f"{mb:.0f} MB" for mb in workers.values()))
    print("\ntargets (reported, not asserted):")
    for t in report["targets"]:
        print(f"  {'met ' if t['met'] else 'MISS'}  {t['target']}: {t['value']} (goal {t['goal']})")
