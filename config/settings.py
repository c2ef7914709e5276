"""Quire settings: every knob comes from the environment, with an embedded default.

With no environment at all Quire runs on SQLite and local files; production sets
DATABASE_URL, REDIS_URL, DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS (see README).
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random string "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DJANGO_DEBUG=1 for local development."
        )
    SECRET_KEY = "insecure-development-key-only-used-when-DJANGO_DEBUG-is-on"
# Keys retired by a rotation: what they signed (sessions, open comment forms) is still accepted.
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# The site's own page, and a comment's text given back, where Django has a bare 403.
CSRF_FAILURE_VIEW = "config.views.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    "csp",
    "axes",
    "taggit",
    "imagekit",
    "comments.library_app.CommentsLibraryConfig",  # django_comments_xtd, named for moderators
    "django_comments",
    "blog",
    "comments",
    "caching",
    "interchange",
    "desk",
]

MIDDLEWARE = [
    "config.logging.RequestIdMiddleware",
    "config.health.HealthCheckMiddleware",  # before host checks: probes come by IP address
    # Announces due posts before the page cache reads the generation it will store under.
    "blog.middleware.PublicationMiddleware",
    # Before the rest: it stores the response as it leaves Django, security headers and all.
    "caching.middleware.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    "config.middleware.RejectNulMiddleware",
    "config.middleware.RejectFormCharsetMiddleware",
    "config.middleware.ForwardedClientIPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "csp.middleware.CSPMiddleware",
    "interchange.middleware.LegacyAddressRedirectMiddleware",
    "blog.middleware.PostAddressRedirectMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "blog.context_processors.site",
                "comments.context_processors.moderation",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that is restarting fails a request in seconds, never holds it for minutes;
    # so does one that hangs on a connection already open: keepalives notice a dead peer, and
    # under gunicorn (config/gunicorn.py) a statement stops before the worker is killed.
    # Commands (imports, migrations) have no statement limit unless one is set.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options.setdefault("connect_timeout", int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "3")))
    _options.setdefault("keepalives", 1)
    _options.setdefault("keepalives_idle", 5)
    _options.setdefault("keepalives_interval", 2)
    _options.setdefault("keepalives_count", 3)
    _options.setdefault("tcp_user_timeout", 10_000)
    _statement_ms = int(os.environ.get("DATABASE_STATEMENT_TIMEOUT_MS", "0"))
    if _statement_ms:
        _options.setdefault("options", f"-c statement_timeout={_statement_ms}")
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Every worker, and an import, write the one file. WAL lets reads go on during a write.
    # IMMEDIATE takes the write lock as a transaction begins, where SQLite waits its turn
    # (timeout); deferred, it is taken at the first write, and SQLite refuses that at once
    # when another holds it ("database is locked": a comment lost, an import stopped).
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options.setdefault("transaction_mode", "IMMEDIATE")
    _options.setdefault("timeout", 10)
    _options.setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A database in a file is on one host, whose processes may share files beside it.
SQLITE_FILE = (
    DATABASES["default"]["NAME"]
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    and DATABASES["default"]["NAME"] not in ("", ":memory:")
    else ""
)

# Shared state (rate limits, replay checks, later the page cache) must be seen by every
# worker of every app server: Redis when there is one, else a table in the shared database.
REDIS_URL = os.environ.get("REDIS_URL", "")
# A Redis that is down or hangs costs each request a fraction of a second, never a stall:
# every use of the caches falls back (pages render, comment checks are skipped and logged).
REDIS_TIMEOUT = float(os.environ.get("QUIRE_REDIS_TIMEOUT", "0.25"))
REDIS_OPTIONS = {"socket_connect_timeout": REDIS_TIMEOUT, "socket_timeout": REDIS_TIMEOUT}
# After a failure, a process leaves Redis alone this long (caching.backends): one timeout a
# second, not one per cache call, while it hangs.
QUIRE_REDIS_RETRY_SECONDS = float(os.environ.get("QUIRE_REDIS_RETRY_SECONDS", "1"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "caching.backends.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "quire",
            "OPTIONS": REDIS_OPTIONS,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "quire_cache",  # made by `migrate` (blog.signals)
            # Django's default of 300 entries would cull replay and rate-limit keys under load.
            "OPTIONS": {"MAX_ENTRIES": 1_000_000},
        }
    }

# Rendered public pages (caching/): shared by every worker, and with Redis by every server.
QUIRE_PAGE_CACHE = env_bool("QUIRE_PAGE_CACHE", True)
# The longest a stored page is kept; changes invalidate it at once whatever this says.
QUIRE_PAGE_CACHE_SECONDS = int(os.environ.get("QUIRE_PAGE_CACHE_SECONDS", str(24 * 60 * 60)))
if REDIS_URL:
    CACHES["pages"] = {
        "BACKEND": "caching.backends.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "quire",
        "TIMEOUT": QUIRE_PAGE_CACHE_SECONDS,
        "OPTIONS": REDIS_OPTIONS,
    }
else:
    # Files: every worker on this machine shares them. The generation that says which are
    # current is in the default cache (caching.pages), which every app server shares.
    CACHES["pages"] = {
        "BACKEND": "caching.backends.FileBasedCache",
        "LOCATION": os.environ.get("QUIRE_PAGE_CACHE_DIR", str(BASE_DIR / "var" / "page-cache")),
        "TIMEOUT": QUIRE_PAGE_CACHE_SECONDS,
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    }
# The generation that invalidates every stored page lives in a store all app servers share:
# with the pages in Redis; on SQLite, in a file beside the database, which every process that
# opens the database can open too (a read costs microseconds, where a round trip costs a hit
# half its time); else in the default cache (the database), never in one host's files. A site
# served from one host only may name a file for it, whatever its database and cache.
QUIRE_PAGE_CACHE_GENERATION_FILE = os.environ.get("QUIRE_PAGE_CACHE_GENERATION_FILE", "")
if QUIRE_PAGE_CACHE_GENERATION_FILE:
    QUIRE_PAGE_CACHE_GENERATION_IN = "file"
elif REDIS_URL:
    QUIRE_PAGE_CACHE_GENERATION_IN = "pages"
elif SQLITE_FILE:
    QUIRE_PAGE_CACHE_GENERATION_IN = "file"
    QUIRE_PAGE_CACHE_GENERATION_FILE = f"{SQLITE_FILE}.page-generation"
else:
    QUIRE_PAGE_CACHE_GENERATION_IN = "default"
# The publication schedule (blog.publishing) is read on every request: on SQLite without Redis
# it is kept in files beside the database, as the generation is, since a row in the database's
# cache table would cost every page a query. Elsewhere it is in the default cache.
if SQLITE_FILE and not REDIS_URL:
    CACHES["schedule"] = {
        "BACKEND": "caching.backends.FileBasedCache",
        "LOCATION": f"{SQLITE_FILE}.schedule",
        "TIMEOUT": None,
    }
else:
    CACHES["schedule"] = CACHES["default"]
# What django-imagekit remembers of the renditions it made: only a shortcut to a look at the
# files, so each process's own. In Redis, a Redis that was down failed every save of a cover.
CACHES["renditions"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "renditions",
}
IMAGEKIT_CACHE_BACKEND = "renditions"
# Each worker keeps the pages it served last in memory, up to this size, and serves them again
# only while the shared generation says they are current (checked on every request).
QUIRE_PAGE_CACHE_MEMORY_MB = int(os.environ.get("QUIRE_PAGE_CACHE_MEMORY_MB", "16"))
# Pages asked with a query (older posts, comment pages) stored per generation, at most: any
# number of well-formed cursors exists, and each would otherwise be kept three times.
QUIRE_PAGE_CACHE_QUERY_PAGES = int(os.environ.get("QUIRE_PAGE_CACHE_QUERY_PAGES", "2000"))
# A CDN in front (optional): pages may be kept there this long, and are purged by tag on every
# change through QUIRE_CDN_PURGE_URL (a POST of {"tags": [...]}); unset, the CDN revalidates.
QUIRE_CDN_PURGE_URL = os.environ.get("QUIRE_CDN_PURGE_URL", "")
QUIRE_CDN_PURGE_TOKEN = os.environ.get("QUIRE_CDN_PURGE_TOKEN", "")
QUIRE_CDN_MAX_AGE = int(os.environ.get("QUIRE_CDN_MAX_AGE", "3600"))
QUIRE_CDN_CACHE_TAG = os.environ.get("QUIRE_CDN_CACHE_TAG", "quire-pages")

# Password guessing at the admin login: django-axes counts failures in the database, which
# every app server shares, and locks out an address after QUIRE_LOGIN_FAILURE_LIMIT of them
# for QUIRE_LOGIN_COOLOFF_MINUTES. `manage.py axes_reset` lifts every lockout at once.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("QUIRE_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=int(os.environ.get("QUIRE_LOGIN_COOLOFF_MINUTES", "30"))
)
# By address: one attacker cannot try many accounts, nor lock the author out from elsewhere.
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
# ForwardedClientIPMiddleware has already put the reader's address in REMOTE_ADDR.
AXES_CLIENT_IP_CALLABLE = "config.middleware.client_ip"
AXES_USERNAME_CALLABLE = "config.middleware.username_tried"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = os.environ.get("QUIRE_LANGUAGE_CODE", "en-us")
TIME_ZONE = os.environ.get("QUIRE_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = os.environ.get("DJANGO_MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# Uploads are served by the proxy from MEDIA_ROOT; with no proxy (gunicorn alone), set this to
# have Django serve them itself: fine for a small blog, slower than any proxy.
QUIRE_SERVE_MEDIA = env_bool("QUIRE_SERVE_MEDIA", DEBUG)
# Uploads in S3-compatible object storage instead of MEDIA_ROOT, when a bucket is named: every
# app server then sees the same files. Unset keys fall back to boto3's own (AWS_*, a role).
QUIRE_S3_BUCKET = os.environ.get("QUIRE_S3_BUCKET", "")
if QUIRE_S3_BUCKET:
    MEDIA_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": QUIRE_S3_BUCKET,
            "endpoint_url": os.environ.get("QUIRE_S3_ENDPOINT_URL") or None,
            "access_key": os.environ.get("QUIRE_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("QUIRE_S3_SECRET_ACCESS_KEY") or None,
            "region_name": os.environ.get("QUIRE_S3_REGION") or None,
            "custom_domain": os.environ.get("QUIRE_S3_CUSTOM_DOMAIN") or None,
            "addressing_style": os.environ.get("QUIRE_S3_ADDRESSING_STYLE") or None,
            # Pages are cached and shared, so image URLs must not be signed (signatures expire):
            # the bucket (or the CDN at QUIRE_S3_CUSTOM_DOMAIN) lets anyone read its objects.
            "querystring_auth": False,
            "file_overwrite": False,
            "default_acl": os.environ.get("QUIRE_S3_DEFAULT_ACL") or None,
            "object_parameters": {"CacheControl": "public, max-age=31536000"},
        },
    }
else:
    MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

SITE_ID = 1

# Email: console in development, SMTP when EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Quire <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Behind a proxy that terminates TLS (see README, "Deploy").
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY")
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
# How many trusted proxies append to X-Forwarded-For; the reader's IP is that many from the end.
QUIRE_PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT", "1" if BEHIND_PROXY else "0"))

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
    # Joining the browsers' preload list is the site owner's commitment, not a default.
    SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
# Readers never need a script from anywhere else, nor any inline script: a comment or a post
# body that slipped past the sanitiser still could not run. Inline styles stay for the admin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        # Images cannot run script, and imported posts link photos on other hosts.
        "img-src": [SELF, "data:", "https:"],
        "object-src": [NONE],
        # Videos embedded from a bare link (blog/embeds.py), each in its provider's privacy mode.
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
QUIRE_PERMISSIONS_POLICY = os.environ.get(
    "QUIRE_PERMISSIONS_POLICY",
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=(), browsing-topics=()",
)
# comment-form.js gets its token in JSON, so no script ever needs to read the cookie.
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# One JSON line per event on standard output, with the request's id (config/logging.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.logging.RequestIdFilter"}},
    "formatters": {"json": {"()": "config.logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_id"],
            "formatter": "json",
        }
    },
    # Django's own loggers keep their levels but write through ours, not to stderr as text.
    "loggers": {"django": {"handlers": [], "propagate": True}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

# --- Quire ---------------------------------------------------------------
QUIRE_SITE_NAME = os.environ.get("QUIRE_SITE_NAME", "Quire")
QUIRE_SITE_DESCRIPTION = os.environ.get(
    "QUIRE_SITE_DESCRIPTION", "Essays and notes, written slowly and published with care."
)
# The public host name used in feeds, sitemaps and emails (kept in django.contrib.sites).
QUIRE_DOMAIN = os.environ.get("QUIRE_DOMAIN", "127.0.0.1:8000")
# PostgreSQL text search configuration (stemming); blank: from LANGUAGE_CODE (en: 'english').
# After changing it, run `manage.py reindex_search`.
QUIRE_SEARCH_CONFIG = os.environ.get("QUIRE_SEARCH_CONFIG", "")
QUIRE_POSTS_PER_PAGE = int(os.environ.get("QUIRE_POSTS_PER_PAGE", "10"))
QUIRE_MAX_UPLOAD_BYTES = int(os.environ.get("QUIRE_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
QUIRE_MAX_IMAGE_PIXELS = int(os.environ.get("QUIRE_MAX_IMAGE_PIXELS", str(40_000_000)))
DATA_UPLOAD_MAX_MEMORY_SIZE = QUIRE_MAX_UPLOAD_BYTES + 1024 * 1024

# Importers (interchange/): hosts --download-images fetches from, and the largest upload.
QUIRE_IMPORT_IMAGE_HOSTS = env_list(
    "QUIRE_IMPORT_IMAGE_HOSTS",
    "blogspot.com,googleusercontent.com,bp.blogspot.com,wordpress.com,wp.com",
)
QUIRE_MAX_IMPORT_BYTES = int(os.environ.get("QUIRE_MAX_IMPORT_BYTES", str(512 * 1024 * 1024)))

# Renditions are made when an image is saved, so a page view never touches the image files.
IMAGEKIT_DEFAULT_CACHEFILE_STRATEGY = "imagekit.cachefiles.strategies.Optimistic"
IMAGEKIT_CACHEFILE_DIR = "renditions"

# --- Comments (django-comments-xtd) ---------------------------------------
COMMENTS_APP = "django_comments_xtd"
COMMENTS_XTD_MAX_THREAD_LEVEL = int(os.environ.get("QUIRE_COMMENTS_MAX_DEPTH", "3"))
# Comments are moderated instead of confirmed by email; set to 1 to ask for confirmation too.
COMMENTS_XTD_CONFIRM_EMAIL = env_bool("QUIRE_COMMENTS_CONFIRM_EMAIL", False)
COMMENTS_XTD_FROM_EMAIL = DEFAULT_FROM_EMAIL
COMMENTS_XTD_CONTACT_EMAIL = DEFAULT_FROM_EMAIL
COMMENTS_XTD_FORM_CLASS = "comments.forms.PostCommentForm"
COMMENTS_XTD_SEND_HTML_EMAIL = False
# Send through Django's mail backend in the request, not in a thread that swallows errors.
COMMENTS_XTD_THREADED_EMAILS = False
COMMENTS_XTD_DEFAULT_FOLLOWUP = False
# Posts and pages take comments alike (comments.selectors.COMMENTABLE).
_COMMENT_OPTIONS = {
    "allow_flagging": False,
    "allow_feedback": False,
    "show_feedback": False,
    "who_can_post": "all",
}
COMMENTS_XTD_APP_MODEL_OPTIONS = {"blog.post": _COMMENT_OPTIONS, "blog.page": _COMMENT_OPTIONS}
COMMENT_MAX_LENGTH = int(os.environ.get("QUIRE_COMMENTS_MAX_LENGTH", "3000"))
# The signed form timestamp expires after this many seconds (django-contrib-comments).
COMMENTS_TIMEOUT = int(os.environ.get("QUIRE_COMMENTS_FORM_TIMEOUT", str(2 * 60 * 60)))

# Moderation rules (see comments/moderation.py). 0 days means "never".
QUIRE_COMMENTS_CLOSE_AFTER_DAYS = int(os.environ.get("QUIRE_COMMENTS_CLOSE_AFTER_DAYS", "0"))
# The post page shows this many top-level threads (with all their replies) per page of comments.
QUIRE_COMMENTS_PER_PAGE = int(os.environ.get("QUIRE_COMMENTS_PER_PAGE", "200"))
# A comment's permalink names the comment, so the redirect can open the page of the thread it is on.
ABSOLUTE_URL_OVERRIDES = {
    "django_comments_xtd.xtdcomment": lambda comment: (
        reverse("comments-url-redirect", args=(comment.content_type_id, comment.object_pk))
        + f"?c={comment.pk}#c{comment.pk}"
    ),
}
QUIRE_COMMENTS_MODERATE_AFTER_DAYS = int(os.environ.get("QUIRE_COMMENTS_MODERATE_AFTER_DAYS", "0"))
QUIRE_COMMENTS_HOLD_FIRST_TIME = env_bool("QUIRE_COMMENTS_HOLD_FIRST_TIME", True)
QUIRE_COMMENTS_MAX_LINKS = int(os.environ.get("QUIRE_COMMENTS_MAX_LINKS", "2"))
QUIRE_COMMENTS_BLOCKLIST = env_list("QUIRE_COMMENTS_BLOCKLIST")
QUIRE_COMMENTS_SPAM_WORDS = env_list("QUIRE_COMMENTS_SPAM_WORDS")
# Spam defence: minimum seconds between showing the form and posting it, and a per-IP limit.
QUIRE_COMMENTS_MIN_FILL_SECONDS = int(os.environ.get("QUIRE_COMMENTS_MIN_FILL_SECONDS", "3"))
# The filter that learns from moderators' decisions (comments/bayes.py): a comment it scores at
# or above the threshold is caught as spam; it scores nothing until taught this many of each.
QUIRE_SPAM_FILTER_THRESHOLD = float(os.environ.get("QUIRE_SPAM_FILTER_THRESHOLD", "0.9"))
QUIRE_SPAM_FILTER_MIN_LESSONS = int(os.environ.get("QUIRE_SPAM_FILTER_MIN_LESSONS", "10"))
# The one-click decision links in the moderators' email work this long.
QUIRE_MODERATION_LINK_HOURS = int(os.environ.get("QUIRE_MODERATION_LINK_HOURS", "72"))
QUIRE_COMMENTS_RATE_LIMIT = int(os.environ.get("QUIRE_COMMENTS_RATE_LIMIT", "10"))
QUIRE_COMMENTS_RATE_WINDOW = int(os.environ.get("QUIRE_COMMENTS_RATE_WINDOW", "600"))
