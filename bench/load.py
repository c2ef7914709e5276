"""Load: wrk for the pages, and a bounded Python loop for posting a comment.

Posting is not done by wrk: every comment needs a fresh form (CSRF token, signed timestamp,
security hash) that is good for one post only, so each one is a GET, a parse and a POST.
"""

import http.client
import json
import statistics
import subprocess
import time
import urllib.parse
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path

WRK_REPORT = Path(__file__).resolve().parent / "report.lua"
# What browsers send; the page cache keeps a copy in each encoding.
ACCEPT_ENCODING = "br, gzip"
# Headers a server adds to every response itself: the references add their own.
SERVER_HEADERS = {"date", "server", "connection", "transfer-encoding", "keep-alive"}
# What a reader types into the fields a comment form requires, by input type.
SAMPLE_INPUT = {"text": "Bench Reader", "email": "bench.reader@example.com"}


def parse_duration(text):
    """wrk's durations ("1s", "10s", "2m") in seconds."""
    units = {"s": 1, "m": 60, "h": 3600}
    if text[-1] in units:
        return float(text[:-1]) * units[text[-1]]
    return float(text)


def get(base_url, path, headers=None):
    """One GET: status, headers (as a list) and body."""
    url = urllib.parse.urlsplit(base_url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        connection.close()


def wrk(url, *, duration, connections, headers=()):
    """Run wrk against one URL: requests per second, p50 and p99, bytes per response."""
    command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{duration}"]
    command += ["--timeout", "5s", "-s", str(WRK_REPORT)]
    for name, value in headers:
        command += ["-H", f"{name}: {value}"]
    finished = subprocess.run(
        [*command, url],
        capture_output=True,
        text=True,
        check=True,
        timeout=parse_duration(duration) + 60,
    )
    line = next(line for line in finished.stdout.splitlines() if line.startswith("BENCH "))
    report = json.loads(line.removeprefix("BENCH "))
    requests = max(report["requests"], 1)
    return {
        "requests_per_second": report["requests"] / (report["duration_us"] / 1e6),
        "p50_ms": report["p50_us"] / 1000,
        "p99_ms": report["p99_us"] / 1000,
        "bytes_per_response": round(report["bytes"] / requests),
        "requests": report["requests"],
        "errors": report["socket_errors"] + report["non_2xx_3xx"],
    }


class CommentFormParser(HTMLParser):
    """The first <form class="comment-form">: its action and its fields, as a browser sees them."""

    def __init__(self):
        super().__init__()
        self.action, self.fields, self._inside, self._textarea = None, [], False, None
        self.fresh_fields = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and self.action is None and "comment-form" in attrs.get("class", ""):
            self.action, self._inside = attrs.get("action", ""), True
            self.fresh_fields = attrs.get("data-fresh-fields")
        elif self._inside and tag in ("input", "select"):
            self.fields.append({"tag": tag, "type": attrs.get("type", "text"), **attrs})
        elif self._inside and tag == "textarea":
            self._textarea = {"tag": "textarea", "type": "textarea", "value": "", **attrs}
            self.fields.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            # As in a browser: the newline right after <textarea> is not part of its value.
            self._textarea["value"] = self._textarea["value"].removeprefix("\n")
            self._textarea = None
        elif tag == "form" and self._inside:
            self._inside = False


def comment_form(html):
    """(action, fields, fresh_fields_url) of the page's comment form, or None if it has none.

    A post page may be a cached copy: its form then names where a browser's script fetches
    the CSRF token and signed fields it lacks (fresh_fields_url), as comment-form.js does.
    """
    parser = CommentFormParser()
    parser.feed(html)
    if parser.action is None:
        return None
    return parser.action, parser.fields, parser.fresh_fields


def renewed(fields, fresh):
    """The form's fields with what the fresh-fields answer adds or replaces."""
    given = {field.get("name") for field in fields}
    kept = [{**f, "value": fresh["fields"].get(f.get("name"), f.get("value"))} for f in fields]
    added = [{"tag": "input", "type": "hidden", "name": name, "value": value}
             for name, value in fresh["fields"].items() if name not in given]  # fmt: skip
    return kept + added


def filled(fields, text):
    """The form's data as a reader sends it: hidden values kept, required fields typed in,
    optional ones (the honeypot among them) left as they came."""
    data = {}
    for field in fields:
        name, kind = field.get("name"), field["type"]
        if not name or kind in ("submit", "button", "reset", "image"):
            continue
        if kind in ("checkbox", "radio"):
            if "checked" in field:
                data[name] = field.get("value") or "on"
            continue
        value = field.get("value") or ""
        if "required" in field and not value:
            value = text if kind == "textarea" else SAMPLE_INPUT.get(kind, "Bench")
        data[name] = value
    return data


def find_form_page(base_url, paths):
    """The first of these pages that holds a comment form."""
    for path in paths:
        status, _, body = get(base_url, path)
        if status == 200 and comment_form(body.decode()):
            return path
    raise RuntimeError(f"none of {paths} has a <form class='comment-form'>")


def post_comments(base_url, form_path, *, duration, at_least=3, at_most=10_000):
    """Post comments one after another for `duration` seconds, each with a fresh form."""
    url = urllib.parse.urlsplit(base_url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    timings, sizes, errors = [], [], 0
    started = time.perf_counter()
    while len(timings) < at_most and (
        len(timings) < at_least or time.perf_counter() - started < duration
    ):
        connection.request("GET", form_path)
        response = connection.getresponse()
        page = response.read().decode()
        cookies = SimpleCookie()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                cookies.load(value)
        action, fields, fresh_url = comment_form(page)
        if fresh_url:  # What the page's script does as the reader starts writing.
            connection.request("GET", fresh_url)
            response = connection.getresponse()
            fresh = json.loads(response.read())
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    cookies.load(value)
            action, fields = fresh["action"], renewed(fields, fresh)
        text = f"Benchmark comment {len(timings)} at {time.time():.6f}: a few words of thanks."
        body = urllib.parse.urlencode(filled(fields, text))
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if "csrftoken" in cookies:
            headers["Cookie"] = f"csrftoken={cookies['csrftoken'].value}"
        sent = time.perf_counter()
        connection.request("POST", urllib.parse.urljoin(form_path, action), body, headers)
        response = connection.getresponse()
        answer = response.read()
        timings.append(time.perf_counter() - sent)
        sizes.append(len(answer))
        # The library answers a stored comment with a redirect to the "posted" page.
        errors += response.status != 302
    elapsed = time.perf_counter() - started
    connection.close()
    ordered = sorted(timings)
    return {
        "requests_per_second": len(timings) / elapsed,
        "p50_ms": statistics.median(ordered) * 1000,
        "p99_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000,
        "bytes_per_response": round(statistics.mean(sizes)),
        "requests": len(timings),
        "errors": errors,
    }
