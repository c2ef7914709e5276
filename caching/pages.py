"""The shared page cache: what may be cached, under which key, and how a stored page is served.

Every anonymous reader gets the same bytes for a public page, so a rendered page is stored once
in the "pages" cache (Redis, or files that every worker on the machine shares) and served by
the WSGI fast path (caching.wsgi) without entering Django. Entries are never stale:

- Each entry carries the generation it was rendered under; any commit that may change a
  public page replaces the generation (caching.receivers), so every older entry misses. The
  generation lives in the default cache (Redis, or the database's table), which every app
  server shares even when each keeps its pages in files of its own.
- Each entry is valid only until the next time a scheduled post becomes public
  (blog.publishing.next_due_at), since that changes pages without any write.
- The key holds a fingerprint of the settings and templates that shape every page, so a
  deploy or a changed setting never serves pages made by the previous one.

A hit must cost close to what the bare server costs, so each worker also keeps the pages it
served last in memory (a copy, not state: it is served only while the shared generation, read
on every request, is the one it was stored under), and on SQLite the generation is a file
beside the database rather than a row in it.
"""

import collections
import dataclasses
import functools
import gzip
import hashlib
import os
import re
import threading
import time
import types
import urllib.parse
import uuid
from pathlib import Path

import brotli
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import InvalidCacheBackendError
from django.core.handlers.wsgi import get_path_info
from django.core.signals import setting_changed
from django.db import DatabaseError
from django.http.cookie import parse_cookie
from django.http.request import split_domain_port
from django.utils.http import http_date, parse_http_date_safe
from redis.exceptions import RedisError

from blog import publishing

GENERATION_KEY = "pages:generation"
# A cache that cannot be reached. redis-py's errors are not the builtin ConnectionError; the
# database's table answers with DatabaseError.
UNAVAILABLE = (InvalidCacheBackendError, OSError, RedisError, DatabaseError)
# Requests carrying these cookies belong to someone: staff, or a reader who just commented.
# The session's is named by SESSION_COOKIE_NAME; the message cookie's name is Django's own.
MESSAGES_COOKIE = "messages"
# The responses' own headers that a stored page keeps; the rest are made per response.
KEPT_HEADERS = {
    "content-type",
    "content-language",
    "content-security-policy",
    "cross-origin-opener-policy",
    "referrer-policy",
    "x-content-type-options",
    "x-frame-options",
    "permissions-policy",
    "strict-transport-security",
}
COMPRESSIBLE_TYPES = ("text/", "application/xml", "application/atom+xml", "application/rss+xml",
                      "application/json", "application/javascript")  # fmt: skip
MIN_COMPRESS_BYTES = 256
ENCODINGS = ("br", "gzip", "identity")
NOT_MODIFIED_HEADERS = {"ETag", "Last-Modified", "Cache-Control", "Vary", "Cache-Tag",
                        "Surrogate-Key"}  # fmt: skip
FINGERPRINT_SETTINGS = {"LANGUAGE_CODE", "TIME_ZONE", "STATIC_URL", "MEDIA_URL", "SITE_ID",
                        "USE_I18N", "USE_TZ", "CONTENT_SECURITY_POLICY", "X_FRAME_OPTIONS",
                        "COMMENTS_TIMEOUT", "COMMENT_MAX_LENGTH"}  # fmt: skip
# Settings that shape pages or the headers kept with them, by family.
FINGERPRINT_PREFIXES = ("QUIRE_", "COMMENTS_XTD_", "SECURE_")

# Set by newsletters, social sites and ad networks for their own counting; no page reads them,
# so a reader who follows such a link gets the page stored under its plain address.
TRACKING_PARAMETER = re.compile(
    r"utm_[a-z_]+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|mc_cid|mc_eid|igshid|_ga|_gl"
)
DIGITS = re.compile(r"[0-9]{1,18}")
# The query parameters a stored page may be asked with, and the values it takes: any other
# query is answered by Django and never stored, so junk in an address cannot fill the cache.
# (Paging cursors are checked by the views: a malformed one is a 404, never stored.)
PAGE_QUERIES = {
    "blog:post_list": {"before": None, "after": None},
    "blog:tag_detail": {"before": None, "after": None},
    "blog:archive_month": {"page": DIGITS},
    "blog:post_detail": {"comments": DIGITS},
    "blog:page_detail": {"comments": DIGITS},
    "sitemap": {"p": DIGITS},
}

# What a hit reads of the settings. Each `settings.NAME` goes through LazySettings, and a hit
# reads ten of them: a third of its own time. Read again whenever a setting changes.
HIT_SETTINGS = ("QUIRE_PAGE_CACHE", "QUIRE_PAGE_CACHE_GENERATION_IN",
                "QUIRE_PAGE_CACHE_GENERATION_FILE", "SESSION_COOKIE_NAME", "SECURE_SSL_REDIRECT",
                "SECURE_PROXY_SSL_HEADER", "USE_X_FORWARDED_HOST", "QUIRE_CDN_PURGE_URL",
                "QUIRE_CDN_MAX_AGE")  # fmt: skip


@functools.cache
def hit_settings():
    return types.SimpleNamespace(**{name: getattr(settings, name) for name in HIT_SETTINGS})


setting_changed.connect(lambda **kwargs: hit_settings.cache_clear(), weak=False)


@dataclasses.dataclass(frozen=True)
class StoredPage:
    generation: str
    valid_until: float
    status: int
    headers: tuple
    body: bytes
    etag: str
    last_modified: str

    @functools.cached_property
    def served_headers(self):
        """The headers that are the same on every response of this page, made once a copy."""
        return (
            *self.headers,
            ("ETag", self.etag),
            ("Last-Modified", self.last_modified),
            ("Vary", "Accept-Encoding"),
            ("Cache-Tag", settings.QUIRE_CDN_CACHE_TAG),
            ("Surrogate-Key", settings.QUIRE_CDN_CACHE_TAG),
        )


def page_cache():
    return caches["pages"]


def generation_cache():
    """Where the generation lives when it is in a cache: with the pages when they are in Redis
    (one round trip a hit), else in the default cache, which hosts keeping pages in files all
    share. On SQLite it is a file instead (GenerationFile)."""
    return caches[settings.QUIRE_PAGE_CACHE_GENERATION_IN]


class GenerationFile:
    """The generation as a file beside the SQLite database: one small read a request.

    It is replaced whole (a new file renamed over the old), so a reader sees the old value or
    the new one, never half of either.
    """

    def __init__(self, path):
        self.path = path

    def read(self):
        try:
            descriptor = os.open(self.path, os.O_RDONLY)
        except FileNotFoundError:
            return None
        try:
            return os.read(descriptor, 64).decode("ascii") or None
        finally:
            os.close(descriptor)

    def write(self, generation, *, only_if_absent=False):
        temporary = f"{self.path}.{uuid.uuid4().hex}.tmp"
        with open(temporary, "w", encoding="ascii") as file:
            file.write(generation)
        try:
            if only_if_absent:
                try:
                    os.link(temporary, self.path)  # Fails if another process made it first.
                except FileExistsError:
                    pass
            else:
                os.replace(temporary, self.path)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)


def generation_file():
    return GenerationFile(hit_settings().QUIRE_PAGE_CACHE_GENERATION_FILE)


def is_enabled():
    return hit_settings().QUIRE_PAGE_CACHE


def _fingerprint():
    """What every page depends on besides the database: settings, code, templates, static names.

    Paths count relative to the release, so servers checked out in different folders agree.
    """
    digest = hashlib.sha256()
    for name in sorted(dir(settings)):
        if name.startswith(FINGERPRINT_PREFIXES) or name in FINGERPRINT_SETTINGS:
            digest.update(f"{name}={getattr(settings, name)!r}\n".encode())
    base = Path(settings.BASE_DIR)
    code = [base / "templates", base / "config", *(p.parent for p in base.glob("*/apps.py"))]
    files = sorted({path for folder in code for path in folder.rglob("*") if path.is_file()})
    for path in files:
        if path.suffix in (".py", ".html", ".txt", ".xml"):
            digest.update(str(path.relative_to(base)).encode() + b"\n" + path.read_bytes())
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()[:16]


_FINGERPRINT = None


def fingerprint():
    global _FINGERPRINT
    if _FINGERPRINT is None:
        _FINGERPRINT = _fingerprint()
    return _FINGERPRINT


def is_personal(environ):
    """A request that may see something of its own (a session, a message) is never cached."""
    if environ.get("HTTP_AUTHORIZATION"):
        return True
    cookies = environ.get("HTTP_COOKIE", "")
    personal = (hit_settings().SESSION_COOKIE_NAME, MESSAGES_COOKIE)
    if not any(name in cookies for name in personal):
        return False  # Neither name is anywhere in the header: the usual reader, at once.
    # As Django reads them: parse_cookie strips the spaces around a name, so "sessionid =x"
    # is Django's session cookie too, and must not pass for an anonymous request here.
    parsed = parse_cookie(cookies)
    return any(name in parsed for name in personal)


def request_scheme(environ):
    """The scheme exactly as Django will see it (HttpRequest.scheme): pages carry it in links."""
    hit = hit_settings()
    if hit.SECURE_PROXY_SSL_HEADER:
        header, secure_value = hit.SECURE_PROXY_SSL_HEADER
        value = environ.get(header)
        if value is not None:
            return "https" if value.split(",", 1)[0].strip() == secure_value else "http"
    return environ.get("wsgi.url_scheme", "http")


def request_host(environ):
    """The host as Django will read it (HttpRequest._get_raw_host), proxy header and all."""
    if hit_settings().USE_X_FORWARDED_HOST and "HTTP_X_FORWARDED_HOST" in environ:
        return environ["HTTP_X_FORWARDED_HOST"]
    if "HTTP_HOST" in environ:
        return environ["HTTP_HOST"]
    return f"{environ.get('SERVER_NAME', '')}:{environ.get('SERVER_PORT', '')}"


def is_usual_host(host):
    """A host a stored page may be kept for: the site's own (QUIRE_DOMAIN) or one named in
    ALLOWED_HOSTS, spelt as browsers send it (lower case, no trailing dot, the site's port or
    none). Django also takes "LOCALHOST", "localhost." and any port; each spelling is a key of
    its own, so storing them all would let anyone fill the cache by varying the Host."""
    domain, port = split_domain_port(host)
    site_domain, site_port = split_domain_port(settings.QUIRE_DOMAIN)
    named = {site_domain} | {h for h in settings.ALLOWED_HOSTS if h != "*" and h[:1] != "."}
    usual = f"{domain}:{port}" if port else domain
    return host == usual and domain in named and port in ("", site_port)


def is_candidate(environ):
    """Could this request be answered from the cache, or its answer be stored?"""
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or is_personal(environ):
        return False
    # Plain http that production redirects to https is Django's to answer.
    return not (hit_settings().SECURE_SSL_REDIRECT and request_scheme(environ) != "https")


def chosen_encoding(environ):
    """br, else gzip, else identity, as the client's Accept-Encoding allows (q=0 refuses)."""
    return _encoding_accepted_by(environ.get("HTTP_ACCEPT_ENCODING", ""))


@functools.lru_cache(maxsize=256)  # Browsers send a handful of distinct headers between them.
def _encoding_accepted_by(accept_encoding):
    accepted = {}
    for part in accept_encoding.lower().split(","):
        coding, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        accepted[coding.strip()] = q
    for coding in ("br", "gzip"):
        if accepted.get(coding, accepted.get("*", 0)) > 0:
            return coding
    return "identity"


@functools.lru_cache(maxsize=1024)
def page_query(query_string):
    """The query's (name, value) pairs, in order, without tracking parameters."""
    pairs = urllib.parse.parse_qsl(query_string, keep_blank_values=True)
    return tuple((name, value) for name, value in pairs if not TRACKING_PARAMETER.fullmatch(name))


def is_page_query(view_name, query):
    """May the page of this URL name be stored for this query (see PAGE_QUERIES)?"""
    allowed = PAGE_QUERIES.get(view_name, {})
    names = [name for name, _ in query]
    if len(set(names)) != len(names):
        return False
    return all(
        name in allowed and (allowed[name] is None or allowed[name].fullmatch(value))
        for name, value in query
    )


def query_page_allowed(generation):
    """Room for one more page with a query under this generation (QUIRE_PAGE_CACHE_QUERY_PAGES).

    A count per generation in the pages cache: atomic in Redis, near enough elsewhere.
    """
    key = f"pages:query-pages:{generation}"
    cache = page_cache()
    cache.add(key, 0, timeout=settings.QUIRE_PAGE_CACHE_SECONDS)
    try:
        return cache.incr(key) <= settings.QUIRE_PAGE_CACHE_QUERY_PAGES
    except ValueError:  # Evicted between add and incr: count again from here.
        return cache.add(key, 1, timeout=settings.QUIRE_PAGE_CACHE_SECONDS)


def entry_key(environ, encoding, path):
    """`path` as Django decodes it: WSGIRequest replaces the raw PATH_INFO with that."""
    digest = _address_digest(
        request_scheme(environ), request_host(environ), path, environ.get("QUERY_STRING", "")
    )
    return f"pages:{fingerprint()}:{digest}:{encoding}"


@functools.lru_cache(maxsize=4096)  # Hashing the address is a fifth of a hit's own time.
def _address_digest(scheme, host, path, query):
    query = urllib.parse.urlencode(page_query(query)) if query else ""
    address = "\n".join((scheme, host, path, query))
    return hashlib.sha256(address.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def current_generation():
    if settings.QUIRE_PAGE_CACHE_GENERATION_IN == "file":
        file = generation_file()
        generation = file.read()
        if generation is None:
            file.write(_fresh_generation(), only_if_absent=True)
            generation = file.read()
        return generation
    cache = generation_cache()
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, _fresh_generation(), timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def new_generation():
    """Every page stored so far misses from now on. A fresh random value, never a counter:
    a generation lost to eviction and made again cannot bring back the pages of its namesake."""
    if settings.QUIRE_PAGE_CACHE_GENERATION_IN == "file":
        generation_file().write(_fresh_generation())
    else:
        generation_cache().set(GENERATION_KEY, _fresh_generation(), timeout=None)


def _fresh_generation():
    """Random, with the moment it began: If-Modified-Since needs to know (not_modified)."""
    return f"{time.time():.6f}-{uuid.uuid4().hex}"


def generation_began(generation):
    """When a generation began, or None for one that does not say."""
    began, _, _ = (generation or "").partition("-")
    try:
        return float(began)
    except ValueError:
        return None


class RecentPages:
    """The pages this worker served last, newest kept, up to a size in bytes.

    Only ever a copy of what the shared cache holds: lookup() serves one only while its
    generation is the current one, so no server can see what another does not.
    """

    def __init__(self):
        self.pages = collections.OrderedDict()
        self.size = 0
        self.lock = threading.Lock()  # gthread workers share one per process.

    def get(self, key):
        with self.lock:
            page = self.pages.get(key)
            if page is not None:
                self.pages.move_to_end(key)
            return page

    def put(self, key, page):
        limit = settings.QUIRE_PAGE_CACHE_MEMORY_MB * 1024 * 1024
        if len(page.body) > limit:
            return
        with self.lock:
            self._drop(key)
            self.pages[key] = page
            self.size += len(page.body)
            while self.size > limit:
                self._drop(next(iter(self.pages)))

    def discard(self, key):
        with self.lock:
            self._drop(key)

    def clear(self):
        with self.lock:
            self.pages.clear()
            self.size = 0

    def _drop(self, key):
        page = self.pages.pop(key, None)
        if page is not None:
            self.size -= len(page.body)


recent_pages = RecentPages()


def lookup(environ):
    """The stored page for this request, in the encoding it accepts, or None."""
    if not publishing.caches_are_current():
        return None  # An invalidation is owed: what is stored may be older than the database.
    key = entry_key(environ, chosen_encoding(environ), get_path_info(environ) or "/")
    kept = recent_pages.get(key)
    if hit_settings().QUIRE_PAGE_CACHE_GENERATION_IN == "pages" and kept is None:
        found = page_cache().get_many([key, GENERATION_KEY])  # One round trip.
        page, generation = found.get(key), found.get(GENERATION_KEY)
    else:
        page = kept or page_cache().get(key)
        generation = _read_generation() if page is not None else None
        if page is kept and page is not None and page.generation != generation:
            page = page_cache().get(key)  # This worker's copy is old; another may have a new one.
    if page is None or page.generation != generation or time.time() >= page.valid_until:
        recent_pages.discard(key)
        return None
    if page is not kept:
        recent_pages.put(key, page)
    return page


def _read_generation():
    if hit_settings().QUIRE_PAGE_CACHE_GENERATION_IN == "file":
        return generation_file().read()
    return generation_cache().get(GENERATION_KEY)


def not_modified(environ, page):
    """RFC 9110: If-None-Match wins; If-Modified-Since only without it."""
    if_none_match = environ.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        # The same version in any encoding matches: "abc-br" is "abc" compressed.
        tags = {_etag_version(tag) for tag in if_none_match.split(",")}
        return "*" in tags or _etag_version(page.etag) in tags
    since_header = environ.get("HTTP_IF_MODIFIED_SINCE")
    since = parse_http_date_safe(since_header) if since_header else None
    if since is None:
        return False
    modified = parse_http_date_safe(page.last_modified)
    # Dates are to the second: a copy dated the second a change was made may be older than it.
    # Only a generation that began before the client's date vouches for every copy since; a
    # page stored in its first second answers If-Modified-Since in full (its ETag still 304s).
    began = generation_began(page.generation)
    return modified is not None and modified <= since and began is not None and began < since


def _etag_version(tag):
    return tag.strip().removeprefix("W/").strip('"').split("-", 1)[0]


def response_headers(page, *, include_body_length=True):
    """The headers of a stored page as served now: max-age and s-maxage end at valid_until."""
    hit = hit_settings()
    remaining = max(0, int(page.valid_until - time.time()))
    shared_age = min(remaining, hit.QUIRE_CDN_MAX_AGE) if hit.QUIRE_CDN_PURGE_URL else 0
    cache_control = ("Cache-Control", f"public, max-age=0, s-maxage={shared_age}, must-revalidate")
    if include_body_length:
        return [*page.served_headers, cache_control, ("Content-Length", str(len(page.body)))]
    return [*page.served_headers, cache_control]


def store(environ, path, response_headers_, status, body, *, generation, valid_until):
    """Keep a rendered page in every encoding; returns the one this request asked for."""
    content_type = next((v for k, v in response_headers_ if k.lower() == "content-type"), "")
    kept = tuple((k, v) for k, v in response_headers_ if k.lower() in KEPT_HEADERS)
    digest = hashlib.sha256(body).hexdigest()[:24]
    last_modified = http_date()
    variants = {"identity": body}
    if content_type.startswith(COMPRESSIBLE_TYPES) and len(body) >= MIN_COMPRESS_BYTES:
        variants["gzip"] = gzip.compress(body, compresslevel=6, mtime=0)
        variants["br"] = brotli.compress(body, quality=5)
    timeout = max(1, min(settings.QUIRE_PAGE_CACHE_SECONDS, int(valid_until - time.time())))
    pages = {}
    for encoding in ENCODINGS:
        variant = variants.get(encoding, body)
        encoded = encoding if encoding in variants and encoding != "identity" else None
        headers = kept + ((("Content-Encoding", encoded),) if encoded else ())
        pages[entry_key(environ, encoding, path)] = StoredPage(
            generation=generation,
            valid_until=valid_until,
            status=status,
            headers=headers,
            body=variant,
            etag=f'"{digest}-{encoded}"' if encoded else f'"{digest}"',
            last_modified=last_modified,
        )
    page_cache().set_many(pages, timeout=timeout)
    return pages[entry_key(environ, chosen_encoding(environ), path)]
