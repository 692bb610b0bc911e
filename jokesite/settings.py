"""Settings for jokesite: one file, everything that differs between machines from the environment.

Development defaults are safe to run on a laptop (`make run`, which sets `DJANGO_DEBUG=1`):
SQLite, local-memory cache, emails on the console. Without `DJANGO_DEBUG=1` the site runs as in
production and will not start without its own `SECRET_KEY`, so a server that forgot the
variable fails closed instead of signing sessions with a public development key. Production
sets `SECRET_KEY`, `ALLOWED_HOSTS`, `DATABASE_URL` and `REDIS_URL`; nothing a second process
must see is kept in process memory once `REDIS_URL` is set.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
DEVELOPMENT_SECRET_KEY = "django-insecure-dev-only-key-never-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY") or (DEVELOPMENT_SECRET_KEY if DEBUG else "")
if not DEBUG and SECRET_KEY in ("", DEVELOPMENT_SECRET_KEY):
    raise ImproperlyConfigured(
        "Set SECRET_KEY (a long random string), or DJANGO_DEBUG=1 for development "
        "(`make run` and the tests do)."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "jokesite.admin_site.ModerationAdminConfig",  # django.contrib.admin, closed to suspensions
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_ratelimit",
    "csp",
    "allauth",
    "allauth.account",
    "django_tasks",
    "django_tasks_db",
    # The project's apps, bottom layer first (the layers contract in pyproject.toml).
    "pagecache",  # the anonymous page cache: depends on no app, any may write
    "core",
    "accounts",
    "questions",
    "answers",
    "search",
    "votes",
    "comments",
    "revisions",
    "flags",
    "moderation",
    "notifications",
    "threads",
    "profiles",
    "api",
    "demo",
    "exchange",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "jokesite.middleware.RejectNulMiddleware",  # before anything looks a value up
    # A hit is answered here, before the middleware below runs (their headers are kept with
    # the page); see pagecache.middleware.
    "pagecache.middleware.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "jokesite.middleware.PrivateCacheMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "jokesite.middleware.RateLimitMiddleware",
    # Turns a 404 for an imported site's old post URL into a 301 to where the post went.
    "exchange.middleware.OldLinkRedirectMiddleware",
]

ROOT_URLCONF = "jokesite.urls"
WSGI_APPLICATION = "jokesite.wsgi.application"

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
                "django.template.context_processors.i18n",
                "notifications.context_processors.unread_notifications",
                "moderation.context_processors.review_waiting",
            ],
            # `{% url %}` for every template, formatted from routes reversed once per process,
            # and `{% static %}` remembered per path.
            "builtins": ["core.templatetags.fasttags"],
            "libraries": {"static": "core.templatetags.faststatic"},
        },
    },
]

# --- Data ---------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at BEGIN, so
    # two writers queue up (busy timeout) instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    # PostgreSQL's JIT compiles a query whose estimated cost passes jit_above_cost: 300 ms
    # spent compiling a 5 ms similar-questions query at 1,000,000 questions (EXPLAIN showed
    # "JIT: Functions: 118"). A web request's queries are short; none gains from it.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"]["options"] = (
        DATABASES["default"]["OPTIONS"].get("options", "") + " -c jit=off"
    ).strip()
# core.statements prepares its statements on the server, once per connection; off behind a
# pooler that shares server connections between clients (PgBouncer in transaction mode).
JOKESITE_PREPARED_STATEMENTS = os.environ.get("DB_PREPARED_STATEMENTS", "1") == "1"
# An optional read replica for anonymous reads, with read-your-writes (jokesite/replica.py).
REPLICA_STICKY_SECONDS = int(os.environ.get("REPLICA_STICKY_SECONDS", "5"))
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
    )
    DATABASES["replica"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["jokesite.replica.ReplicaRouter"]
    MIDDLEWARE.insert(0, "jokesite.replica.ReplicaMiddleware")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, read as an empty cache while Redis is down (jokesite/cache.py):
            # a cache outage slows the site but breaks nothing.
            "BACKEND": "jokesite.cache.FailSafeRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "jokesite"),
            # A Redis that hangs costs at most this long, then is skipped for a few seconds.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Anonymous pages are served from this cache (pagecache/), for at most this many seconds (0 turns
# it off); a write makes every cached page it changes out of date at once (a thread's votes,
# answers, comments and accepts: that thread, the pages listing it and its members' threads;
# any other write: every page), so the time only bounds how long relative dates ("3 hours
# ago") lag and what a cache outage can leave stale.
JOKESITE_PAGE_CACHE = "default"
JOKESITE_PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))
# The parts of a thread every reader sees alike (each post's body, signature and comments, the
# sidebar), and the list bodies, /tags/, search results and a profile's posts ({% shared %},
# pagecache/fragments.py), are kept in the same cache for at most this many seconds (0 turns it
# off), under the same versions, for signed-in readers as for visitors.
JOKESITE_FRAGMENT_CACHE_SECONDS = int(
    os.environ.get("FRAGMENT_CACHE_SECONDS", JOKESITE_PAGE_CACHE_SECONDS)
)
# Never cached: forms with per-visitor tokens (accounts), the admin, JSON, members' own pages.
JOKESITE_PAGE_CACHE_SKIP = ["/admin/", "/accounts/", "/api/", "/inbox/", "/settings/", "/review/",
                            "/notifications/", "/healthz", "/bench/"]  # fmt: skip
# Writes to these tables change no page a visitor sees, so they leave the cached pages alone.
JOKESITE_PAGE_CACHE_IGNORED_TABLES = ["django_session", "django_tasks_database",
                                      "notifications_notification", "notifications_emailpref",
                                      "account_emailconfirmation", "django_admin_log"]  # fmt: skip

# Sessions live in the database only: a cache that restarts, or misses a logout while it is
# down and then comes back, must not sign anyone out or in again.
SESSION_ENGINE = "accounts.sessions"  # Django's database sessions, read prepared

# --- Accounts -----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USERNAME_MIN_LENGTH = 3
# Development: a new account is signed in at once and mail goes to the console.
# Production (DEBUG off): the address must be verified before the account can sign in.
ACCOUNT_EMAIL_VERIFICATION = os.environ.get(
    "ACCOUNT_EMAIL_VERIFICATION", "optional" if DEBUG else "mandatory"
)
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
# Adds the honeypot and the minimum fill time (jokesite/protection.py) to signup.
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm", "login": "accounts.forms.LoginForm"}
# How many reverse proxies in front of the site append to X-Forwarded-For (core/client_ip.py);
# 0: the client is REMOTE_ADDR and the header is ignored. Feeds every per-address limit:
# django-ratelimit (RATELIMIT_IP_META_KEY) and allauth (its adapter's get_client_ip).
JOKESITE_TRUSTED_PROXIES = int(os.environ.get("JOKESITE_TRUSTED_PROXIES", "0"))
ALLAUTH_TRUSTED_PROXY_COUNT = JOKESITE_TRUSTED_PROXIES
RATELIMIT_IP_META_KEY = "core.client_ip.client_ip"
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
}

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
# Seconds before a silent mail server counts as down (the task worker retries later).
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "jokesite <noreply@localhost>")
# Where links in emails point (a background task has no request to take the host from); in
# development, the server `make run` starts.
JOKESITE_SITE_URL = os.environ.get("SITE_URL") or (
    "http://127.0.0.1:" + os.environ.get("PORT", "8000")
)

# --- Background tasks ---------------------------------------------------------------------
# django-tasks (the backport of Django 6's django.tasks) with its database backend: the queue
# is a table in the site's own database (SQLite or PostgreSQL), worked by `manage.py db_worker`.
# TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend runs tasks in the request.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# --- Community rules ----------------------------------------------------------------------
# Reputation needed for each privilege (Stack Overflow's defaults); /help/privileges/ shows
# this table with each member's progress. Launch mode, as in a Stack Exchange private beta,
# drops every threshold short of moderation to 1. How reputation is earned: questions/reputation.py.
JOKESITE_LAUNCH_MODE = env_bool("JOKESITE_LAUNCH_MODE", False)
JOKESITE_PRIVILEGES = {
    "vote_up": 15,
    "flag": 15,
    "comment": 50,
    "vote_down": 125,
    "review": 500,
    "edit_tags": 500,
    "edit_others": 2000,
    "close_reopen": 3000,
}

# Moderation: open spam or rude flags from this many members hide a post or comment until a
# moderator decides; the default length of a suspension from the flag queue, in days.
JOKESITE_FLAGS_TO_HIDE = int(os.environ.get("JOKESITE_FLAGS_TO_HIDE", "3"))
JOKESITE_SUSPENSION_DAYS = 7
# Close and reopen votes: this many members with the `close_reopen` privilege close (or reopen)
# a question; moderators' votes are binding.
JOKESITE_CLOSE_VOTES = int(os.environ.get("JOKESITE_CLOSE_VOTES", "3"))
# The review queue shows the posts of accounts younger than this many days as first posts.
JOKESITE_REVIEW_NEW_ACCOUNT_DAYS = 7
# An item leaves a review queue after this many decisions other than Skip (a moderator's
# decision, and an approval or rejection of a suggested edit, end it at once). Late answers:
# answers posted this many days after their question by members below this reputation.
JOKESITE_REVIEWS_NEEDED = int(os.environ.get("JOKESITE_REVIEWS_NEEDED", "2"))
JOKESITE_LATE_ANSWER_DAYS = 30
JOKESITE_LATE_ANSWER_REPUTATION = 50

# Rate limits per action: (normal, accounts younger than JOKESITE_NEW_ACCOUNT_DAYS), in
# django-ratelimit's notation ("10/m" = 10 a minute, "5/10m" = 5 in ten minutes).
JOKESITE_NEW_ACCOUNT_DAYS = 3
JOKESITE_RATE_LIMITS = {
    "ask": ("6/h", "3/h"),
    "answer": ("20/h", "6/h"),
    "comment": ("30/h", "10/h"),
    "vote": ("60/m", "30/m"),
    "flag": ("20/h", "10/h"),
    "edit": ("30/h", "10/h"),
    # Toggles and decisions: each one books reputation, notifies or bumps a question.
    "accept": ("20/h", "10/h"),  # accept and unaccept
    "follow": ("60/h", "30/h"),  # follow and unfollow a question or a tag
    "close": ("20/h", "10/h"),  # close and reopen votes (and retracting them), moderators' too
    "delete": ("20/h", "10/h"),
    "moderate": ("120/h", "120/h"),  # undelete, lock and unlock
    "similar_check": ("60/m", "30/m"),  # the ask form's no-JavaScript "Check for similar"
    "review": ("80/h", "40/h"),
    # The live preview (static/js/editor.js), at most one request per pause in typing.
    "preview": ("120/m", "60/m"),
}
# Reads a script may repeat, per IP address: the JSON API and the similar-questions fragment.
JOKESITE_READ_RATE_LIMITS = {
    "api": os.environ.get("API_RATE_LIMIT", "120/m"),
    "similar": "60/m",
}
# How long an API response is served from the shared cache: writes are not tracked, so this is
# the most an API reader lags behind the pages.
JOKESITE_API_CACHE_SECONDS = int(os.environ.get("API_CACHE_SECONDS", "30"))
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)
# A cache outage should not stop people posting: let requests through when it is down.
RATELIMIT_FAIL_OPEN = True
# django-ratelimit checks for django-redis and memcached by name; Django's own RedisCache
# increments atomically too, and the local-memory cache (no REDIS_URL) is one process only.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
# templates.W003: the `static` library is ours on purpose (TEMPLATES above); a test checks that
# it is the only name two tag libraries share.
SILENCED_SYSTEM_CHECKS += ["templates.W003"]

# Against robots (jokesite/protection.py): signup, and asking, answering and commenting by
# accounts younger than JOKESITE_NEW_ACCOUNT_DAYS, carry a honeypot field and a signed time;
# a form sent faster than JOKESITE_FORM_MIN_SECONDS after it was shown, or older than
# JOKESITE_FORM_MAX_AGE seconds, or with the honeypot filled, is refused (400).
JOKESITE_FORM_PROTECTION = env_bool("JOKESITE_FORM_PROTECTION", True)
JOKESITE_FORM_MIN_SECONDS = 3
JOKESITE_FORM_MAX_AGE = 24 * 60 * 60
# How long a submitted form's token is remembered, so a second submit of it posts nothing.
JOKESITE_FORM_TOKEN_TTL = 10 * 60

# The benchmark's floor page, /bench/floor/<bytes>/ (demo/views.py): only `bench/run` sets it.
JOKESITE_BENCH_FLOOR = env_bool("JOKESITE_BENCH_FLOOR", False)

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
# Compiled by `make messages` (Makefile), which `make run` and `make test` run first.
LOCALE_PATHS = [BASE_DIR / "jokesite" / "locale"]
# Our corrections to Django's number formats for a language (jokesite/formats/<locale>/).
FORMAT_MODULE_PATH = ["jokesite.formats"]
# The footer's choice outranks Accept-Language; kept a year, not only until the browser closes.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Security -----------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    # SECURE_COOKIES=0 serves over plain HTTP (a private network): no Secure cookies, no
    # redirect to HTTPS, no HSTS.
    HTTPS = env_bool("SECURE_COOKIES", True)
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = HTTPS
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = HTTPS
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000")) if HTTPS else 0
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# django-csp: scripts, styles and fonts only from the site itself, never inline (JSON-LD and
# allauth's JSON blocks are data, not scripts); images in posts may come from other sites over
# HTTPS (questions/markdown.py keeps only those).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "https:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
