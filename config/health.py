"""`/healthz` for load balancers and container healthchecks: is the database there, are the
caches there? 200 with {"status": "ok"} when all are; 503 naming the failed check when this
server cannot serve right (the database, or a file of its own that keeps pages current); 200
with {"status": "degraded"} when only Redis fails: pages are rendered from the database then,
and no other server would do better, so the load balancer must not take them all away."""

import logging
import time
import uuid

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.http import JsonResponse

logger = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"
# The schedule is a store of its own on SQLite (files beside the database), else the default.
CHECKED_CACHES = ("default", "pages", "schedule")


def check_database():
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache(alias):
    """A write and a read back: a cache that answers reads but drops writes is down too."""
    cache = caches[alias]
    key, value = f"health:{uuid.uuid4().hex}", time.time()
    cache.set(key, value, timeout=10)
    if cache.get(key) != value:
        raise RuntimeError("the value written was not read back")
    cache.delete(key)


def check_page_generation():
    """Pages would stay stored, stale, while the generation file cannot change."""
    from caching.checks import generation_file_problem

    problem = generation_file_problem()
    if problem:
        raise PermissionError(problem)


def is_required(name):
    """Whether a failed check takes this server out of rotation (see the module's docstring)."""
    alias = name.removeprefix("cache:")
    backend = settings.CACHES.get(alias, {}).get("BACKEND", "") if alias != name else ""
    return not backend.endswith(".RedisCache")


def run_checks():
    checks = {"database": check_database}
    checks.update({f"cache:{alias}": (lambda a=alias: check_cache(a)) for alias in CHECKED_CACHES})
    if settings.QUIRE_PAGE_CACHE_GENERATION_IN == "file":
        checks["page-generation"] = check_page_generation
    results = {}
    for name, check in checks.items():
        started = time.monotonic()
        try:
            check()
        except Exception as error:  # A health check reports every failure; it never raises.
            logger.error("Health check %s failed: %r", name, error, extra={"check": name})
            results[name] = {"status": "error", "error": type(error).__name__}
        else:
            results[name] = {"status": "ok"}
        results[name]["ms"] = round((time.monotonic() - started) * 1000, 1)
        results[name]["required"] = is_required(name)
    return results


def healthz(request):
    checks = run_checks()
    failed = [result["required"] for result in checks.values() if result["status"] != "ok"]
    status = "error" if any(failed) else "degraded" if failed else "ok"
    response = JsonResponse(
        {"status": status, "checks": checks}, status=503 if status == "error" else 200
    )
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    """Answers `/healthz` first, before host validation and the HTTPS redirect: load balancers
    probe by IP address over plain HTTP, and the probe must say whether the app works, not
    whether the probe's Host header is in DJANGO_ALLOWED_HOSTS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == HEALTH_PATH and request.method in ("GET", "HEAD"):
            return healthz(request)
        return self.get_response(request)


def bypass_page_cache(application, django_application):
    """A WSGI app sending `/healthz` straight to Django, so the page cache never answers it and
    a page cache that is down cannot hide behind a stored answer."""

    def dispatch(environ, start_response):
        if environ.get("PATH_INFO") == HEALTH_PATH:
            return django_application(environ, start_response)
        return application(environ, start_response)

    return dispatch
