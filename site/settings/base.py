"""Settings shared by every environment.

All environment parsing happens here: each integration is switched on only when its
variable is set, so an empty environment gives the embedded default (SQLite, in-memory
channel layer, local-memory cache, console e-mail).
"""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # site/
BASE_DIR = PACKAGE_DIR.parent  # the checkout


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=()):
    value = os.environ.get(name, "")
    items = [item.strip() for item in value.split(",") if item.strip()]
    return items or list(default)


def email_settings_from_url(url):
    """Translate ``smtp://user:pass@host:port?tls=1`` into Django's EMAIL_* settings."""
    parts = urlparse(url)
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    if parts.scheme not in {"smtp", "smtps", "console", "locmem"}:
        raise ValueError(f"EMAIL_URL scheme {parts.scheme!r} is not supported")
    if parts.scheme in {"console", "locmem"}:
        return {"EMAIL_BACKEND": f"django.core.mail.backends.{parts.scheme}.EmailBackend"}
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": parts.port or (465 if parts.scheme == "smtps" else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": parts.scheme == "smtps",
        "EMAIL_USE_TLS": query.get("tls", "0").lower() in {"1", "true", "yes"},
    }


# --- Core ----------------------------------------------------------------

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "allas_site.core",
    "allas_site.accounts",
    "allas_site.notifications",
    "allas_site.topics",
    "allas_site.publications",
    "allas_site.partners",
    "courses",
    "community",
    "webinars",
    "search",
    "participation.consultations",
    "participation.campaigns",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.simple_translation",
    # Not "rest_framework": the API answers JSON only, and DRF's catalogues would
    # override Django's own form messages ("Este campo es requerido.").
    "wagtail.api.v2",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_countries",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "channels",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    # First, so load balancers and container health checks get an answer whatever
    # the Host header or scheme (no ALLOWED_HOSTS rejection, no HTTPS redirect).
    "allas_site.core.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Content-Security-Policy and Permissions-Policy, also on cached pages.
    "allas_site.core.security_headers.SecurityHeadersMiddleware",
    # Before sessions and auth: a cached anonymous page is answered without SQL.
    "allas_site.core.page_cache.PageCacheMiddleware",
    # After the page cache (cached pages still answer while the database is down):
    # a database or Redis outage becomes a branded 503, never a 500.
    "allas_site.core.outage.OutageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # NUL characters in parameters: a 400 with a reason (PostgreSQL refuses them).
    "allas_site.core.request_guard.RejectNulMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After authentication: a member's profile zone becomes the request's zone.
    "allas_site.accounts.time_zones.ProfileTimeZoneMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "allas_site.urls"
WSGI_APPLICATION = "allas_site.wsgi.application"
ASGI_APPLICATION = "allas_site.asgi.application"
AUTH_USER_MODEL = "accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
                "allas_site.notifications.context_processors.notifications",
            ],
        },
    },
]

# --- Database ----------------------------------------------------------------

DATABASE_URL = os.environ.get("DATABASE_URL", "")
# Each server process keeps a bounded pool of PostgreSQL connections. Under ASGI every
# request runs in its own context with its own connection, so persistent connections
# (CONN_MAX_AGE) pile up until the server refuses clients; a pooled connection goes back
# to the pool when the request ends. Keep processes × DB_POOL_MAX_SIZE (+ worker and
# scheduler) under the server's max_connections: see the README's "Connections".
DB_POOL_MIN_SIZE = int(os.environ.get("DB_POOL_MIN_SIZE", "2"))
DB_POOL_MAX_SIZE = int(os.environ.get("DB_POOL_MAX_SIZE", "20"))
# Seconds a request waits for a free connection before it is answered 503. It is also how
# long the first visitors wait when PostgreSQL goes down (the pool cannot tell "busy" from
# "gone"): at 10 s the load test's p95 was 5-10 s and requests piled up behind it.
DB_POOL_TIMEOUT = float(os.environ.get("DB_POOL_TIMEOUT", "4"))
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # A stopped server is noticed in seconds, not after the OS's TCP timeout.
            "connect_timeout": 3,
            "pool": {
                "min_size": DB_POOL_MIN_SIZE,
                "max_size": DB_POOL_MAX_SIZE,
                "timeout": DB_POOL_TIMEOUT,
                # Idle connections beyond min_size are closed after a minute.
                "max_idle": 60,
            },
        }
    )
else:
    DATABASES = {
        "default": {
            # Django's SQLite backend, keeping closed connections for the next request
            # (core.sqlite_pool: a new one spends ~1.5 ms reading the schema).
            "ENGINE": "allas_site.core.sqlite_pool",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": {
                # WAL lets readers go on while one writer writes; NORMAL sync is safe in WAL.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                # A writer waits up to 20 s for the lock instead of failing at once.
                "timeout": 20,
                # Transactions take the write lock when they begin: a transaction that
                # read first and then writes can otherwise not wait for the lock and
                # fails at once with "database is locked".
                "transaction_mode": "IMMEDIATE",
            },
        }
    }

# --- Redis: cache and channel layer -------------------------------------------------------

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache that falls back to process memory while Redis is down.
            "BACKEND": "allas_site.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "allas"),
            "TIMEOUT": 300,
            # A Redis that hangs instead of refusing must not hang the pages with it.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            # One Redis reader per process instead of one per socket (#8): half the
            # fan-out's CPU. CHANNEL_LAYER_BACKEND=channels_redis.core.RedisChannelLayer
            # goes back to channels-redis' own (to compare, or if this one misbehaves).
            "BACKEND": os.environ.get(
                "CHANNEL_LAYER_BACKEND", "allas_site.channel_layer.FanOutRedisChannelLayer"
            ),
            "CONFIG": {
                # Above channels-redis' 5 s blocking pop: with redis-py's default 5 s both
                # fired together and an idle socket closed with a TimeoutError (4503).
                "hosts": [{"address": REDIS_URL, "socket_timeout": 15}],
                "prefix": os.environ.get("CHANNELS_PREFIX", "allas"),
                "capacity": 1500,
                "expiry": 30,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# --- Background tasks ----------------------------------------------------------------

# Immediate by default; TASKS_BACKEND=database queues in the database for `db_worker`.
if os.environ.get("TASKS_BACKEND", "") == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# --- E-mail ----------------------------------------------------------------------------------

DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "AL-LAs Campus <campus@allas.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if os.environ.get("EMAIL_URL"):
    globals().update(email_settings_from_url(os.environ["EMAIL_URL"]))
elif os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# --- Authentication (django-allauth) ------------------------------------------------------------

# Django's and allauth's backends, loading the signed-in member's row from the cache
# (accounts.backends). Sessions name the backend that signed them in: one made under the
# plain paths before this change signs its member in again once.
AUTHENTICATION_BACKENDS = [
    "allas_site.accounts.backends.MemberModelBackend",
    "allas_site.accounts.backends.MemberAllauthBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:profile"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[AL-LAs Campus] "
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_ADAPTER = "allas_site.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "allas_site.accounts.forms.SignupForm"}
# allauth's rate limits live in the cache configured above. Failed log-ins count per
# address and per address + account (see AccountAdapter), with delays that grow: 5
# misses wait 5 minutes, 10 in an hour wait up to the hour, 20 in a day wait the day.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,60/h/ip,5/5m/key,10/h/key,20/d/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "AL-LAs Campus"

# --- Internationalisation ----------------------------------------------------------------

LANGUAGE_CODE = "es"
# Each language is named in itself (the switcher marks the names with their own lang),
# so the names are deliberately not translatable.
LANGUAGES = [
    ("es", "Español"),
    ("en", "English"),
    ("fr", "Français"),
    ("pt", "Português"),
]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# Every page exists in every language's tree: an alias of the original until someone
# translates it (see allas_site.core.page_tree).
WAGTAILSIMPLETRANSLATION_SYNC_PAGE_TREE = True
# Wagtail offers only pt-br/pt-pt for its admin, so /pt/ pages would show the userbar
# in Spanish; plain "pt" uses the pt_PT catalogues like the rest of the site.
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "America/Mexico_City")
USE_I18N = True
USE_TZ = True

# --- Static and media ----------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Django's and WhiteNoise's storages, with each file's address worked out once.
    "staticfiles": {"BACKEND": "allas_site.core.static_files.KeptUrlsStaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
AVATAR_MAX_BYTES = 2 * 1024 * 1024

# --- Wagtail ----------------------------------------------------------------

WAGTAIL_SITE_NAME = "AL-LAs Campus"
# The public address (scheme, host, port): every absolute link is built on it
# (allas_site.core.navigation.absolute_url), never on a request's host; also an
# allowed WebSocket origin.
BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000")
WAGTAILADMIN_BASE_URL = BASE_URL
# Search (see search/backends.py): PostgreSQL's or SQLite's full-text search, taught
# Spanish. A deployment that outgrows it sets SEARCH_BACKEND to one of Wagtail's cluster
# backends (e.g. modelsearch.backends.opensearch2 or .elasticsearch8) and SEARCH_URLS
# (comma-separated), then runs `manage.py rebuild_search`; no code changes.
if os.environ.get("SEARCH_BACKEND"):
    WAGTAILSEARCH_BACKENDS = {"default": {
        "BACKEND": os.environ["SEARCH_BACKEND"],
        "URLS": [url for url in os.environ.get("SEARCH_URLS", "").split(",") if url],
        "INDEX_PREFIX": os.environ.get("SEARCH_INDEX_PREFIX", "allas_"),
        "TIMEOUT": 5,
    }}
else:
    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backends"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "epub", "docx", "odt", "xlsx", "csv", "zip"]
# Uploads over this size, and ".pdf" files that are not PDFs, are refused with a message.
WAGTAILDOCS_MAX_UPLOAD_SIZE = 30 * 1024 * 1024
WAGTAILDOCS_DOCUMENT_FORM_BASE = "allas_site.publications.forms.DocumentForm"
# Anonymous visitors get whole cached pages; 0 turns the page cache off.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
# Each server process keeps parts of pages (shared fragments, listings, a debate's posts)
# in its own memory, up to this many megabytes; the least recently used go first.
PAGE_MEMO_MB = int(os.environ.get("PAGE_MEMO_MB", "16"))
WAGTAILAPI_BASE_URL = BASE_URL
WAGTAILADMIN_LOGIN_URL = "/cuentas/login/"
# Every asset local: no avatars from Gravatar, no version check against wagtail.org.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

# --- Security ----------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
# Database sessions whose save reports an outage as an outage (503), not a 400.
SESSION_ENGINE = "allas_site.core.sessions"
CSRF_COOKIE_HTTPONLY = False  # the page's fetch() reads the token from the form field instead
# Wagtail's live preview renders the page in a same-origin iframe, so framing is
# allowed for our own origin only; that is the "good reason" security.W019 asks for.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Video providers whose players may be embedded in content (Wagtail's EmbedBlock).
CSP_FRAME_SOURCES = env_list(
    "CSP_FRAME_SOURCES",
    ["https://www.youtube.com", "https://www.youtube-nocookie.com", "https://player.vimeo.com"],
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Task and page-action chatter is noise in the console; warnings still show.
        "django_tasks": {"level": "WARNING"},
        "django.tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}
