"""`make bench`: the public pages under load, served as `make serve` serves them.

    .venv/bin/python bench/run.py --size small --duration 5s
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/quire_bench_small bench/run.py ...

Builds a throwaway blog of the chosen size (a temporary SQLite file, or the DATABASE_URL
database, which must be named quire_bench_* and is dropped and made again), counts each page's
queries in this process, then serves it with gunicorn (2 sync workers, DEBUG off) with the page
cache on and off and drives each page with wrk. Two references run on the same machine: a bare
WSGI app under the same gunicorn settings sending the post page's bytes (the server's floor),
and nginx sending them from a file (the ceiling). Prints a table; writes it as JSON to
bench/results/.
"""

import argparse
import datetime
import json
import os
import secrets
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import load, servers  # noqa: E402

PORTS = {"site": 8150, "floor": 8151, "nginx": 8152}
MODES = {"cache on": "1", "cache off": "0"}
INSTALL_HINT = "install it with `sudo apt-get install {0}` (Debian/Ubuntu) and run again"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=["small", "large"], default="small")
    parser.add_argument("--duration", default="5s", help="per page and mode, as wrk takes it")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--port", type=int, default=PORTS["site"], help="first of three ports")
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()
    ports = {name: args.port + n for n, name in enumerate(PORTS)}
    tools = {tool: _find(tool) for tool in ("wrk", "nginx")}

    (ROOT / "var").mkdir(exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="bench-", dir=ROOT / "var"))
    env = _server_environment(tmp, ports["site"])
    os.environ.update(env)
    import django

    django.setup()
    from bench import measure

    print(f"--- building the {args.size} blog on {measure.database_name()}", file=sys.stderr)
    built = measure.build(args.size)
    pages = measure.pages(built)
    queries = measure.count_queries(pages)

    results, rss = {}, {}
    for mode, switch in MODES.items():
        print(f"--- gunicorn, {mode}", file=sys.stderr)
        site = servers.gunicorn(
            env={**env, "QUIRE_PAGE_CACHE": switch}, port=ports["site"], log_path=tmp / "site.log"
        )
        try:
            results[mode] = _load_pages(site.url, pages, args)
            if mode == "cache on":
                page = _capture(site.url, pages["post, 50 comments"], tmp)
            form_path = load.find_form_page(site.url, pages["comment form"])
            results[mode]["post a comment"] = load.post_comments(
                site.url, form_path, duration=load.parse_duration(args.duration)
            )
            rss[mode] = site.worker_rss_kb()
        finally:
            site.stop()

    print("--- references: bare WSGI app under gunicorn, and nginx", file=sys.stderr)
    references = {}
    floor = servers.gunicorn(
        env={**env, "BENCH_FLOOR_DIR": str(tmp)},
        port=ports["floor"],
        log_path=tmp / "floor.log",
        app="bench.floor:application",
    )
    try:
        references["bare WSGI"] = _wrk(floor.url + "/", args)
    finally:
        floor.stop()
    ceiling = servers.nginx(
        tmp=tmp, port=ports["nginx"], body=page["body"], headers=page["headers"]
    )
    try:
        references["nginx"] = _wrk(ceiling.url + "/page", args)
    finally:
        ceiling.stop()

    report = measure.report(
        size=args.size,
        built=built,
        args=args,
        results=results,
        references=references,
        queries=queries,
        rss=rss,
        tools=tools,
        command=" ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
    )
    measure.print_table(report)
    args.results.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    # Runs compare with runs of the same database and cache store (measure._latest).
    store = "-redis" if report["page_cache"] == "RedisCache" else ""
    out = args.results / f"{stamp}-{args.size}-{report['database']}{store}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"--- written to {out}", file=sys.stderr)
    measure.drop_database()
    shutil.rmtree(tmp, ignore_errors=True)


def _find(tool):
    found = shutil.which(tool, path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin")
    if not found:
        sys.exit(f"bench needs {tool}: {INSTALL_HINT.format(tool)}")
    os.environ["PATH"] = f"{Path(found).parent}:{os.environ.get('PATH', '')}"
    return found


def _server_environment(tmp, port):
    """Production settings, as `make serve` has them, plus what lets one client post often."""
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "QUIRE_DOMAIN": f"127.0.0.1:{port}",
        "QUIRE_PAGE_CACHE_DIR": str(tmp / "page-cache"),
        "DJANGO_LOG_LEVEL": "WARNING",
        "GUNICORN_ACCESS_LOG": str(tmp / "access.log"),
        # One client posts many comments at once: no spam rule may refuse or hold them.
        "QUIRE_COMMENTS_MIN_FILL_SECONDS": "0",
        "QUIRE_COMMENTS_RATE_LIMIT": "1000000000",
        "QUIRE_COMMENTS_HOLD_FIRST_TIME": "0",
    }
    if not os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    return env


def _load_pages(base_url, pages, args):
    results = {}
    for name, path in pages.items():
        if name == "comment form":
            continue
        status, headers, _ = load.get(base_url, path, {"Accept-Encoding": load.ACCEPT_ENCODING})
        if status != 200:
            raise RuntimeError(f"{path} answered {status}, not 200")
        results[name] = _wrk(base_url + path, args)
        # A second look after the load: was the page served from the cache?
        _, headers, _ = load.get(base_url, path, {"Accept-Encoding": load.ACCEPT_ENCODING})
        results[name]["x_cache"] = dict(headers).get("X-Cache", "")
    return results


def _wrk(url, args):
    return load.wrk(
        url,
        duration=args.duration,
        connections=args.connections,
        headers=[("Accept-Encoding", load.ACCEPT_ENCODING)],
    )


def _capture(base_url, path, tmp):
    """The post page as the cache sends it: the bytes and headers the references send too."""
    load.get(base_url, path, {"Accept-Encoding": load.ACCEPT_ENCODING})
    _, headers, body = load.get(base_url, path, {"Accept-Encoding": load.ACCEPT_ENCODING})
    kept = [(k, v) for k, v in headers if k.lower() not in load.SERVER_HEADERS]
    (tmp / "page.body").write_bytes(body)
    (tmp / "page.headers.json").write_text(json.dumps(kept))
    return {"body": body, "headers": kept}


if __name__ == "__main__":
    main()
