"""Tribune settings: one module, read from the environment, a heading per topic.

With nothing set, Tribune runs embedded: SQLite, Celery tasks run in-process, email to the
console, a local-memory cache. Production sets DATABASE_URL, REDIS_URL, EMAIL_URL, SECRET_KEY,
ALLOWED_HOSTS and DEBUG=0 (see README.md, "Running in production").
"""

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import dj_email_url
from celery.schedules import crontab
from csp import constants as csp
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=None):
    value = os.environ.get(name)
    return default if value in (None, "") else value


def env_bool(name, default=False):
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


# --- Core -------------------------------------------------------------------------------------
DEBUG = env_bool("DEBUG", default=False)
# The demo (make demo) sets TRIBUNE_DEMO=1: SQLite, eager Celery, console email, optional email
# verification, static files without collectstatic, and (DEBUG still off) the real error pages.
DEMO = env_bool("TRIBUNE_DEMO", default=False)
TESTING = env_bool("TRIBUNE_TESTING") or "pytest" in sys.modules

_INSECURE_DEV_KEY = "django-insecure-tribune-local-development-key-never-in-production"
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    # With nothing set, Tribune runs embedded (a development key is fine); once it is configured for
    # a real deployment (a database, hosts or Redis from the environment), a missing key is an error.
    configured = any(env(name) for name in ("DATABASE_URL", "ALLOWED_HOSTS", "REDIS_URL"))
    if configured and not (DEBUG or DEMO or TESTING):
        raise ImproperlyConfigured("Set SECRET_KEY in the environment (or DEBUG=1 for development).")
    SECRET_KEY = _INSECURE_DEV_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_ID = 1
SITE_NAME = env("SITE_NAME", "Tribune")
# Absolute address of the site, for links in emails sent by workers (no request there).
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "django.contrib.syndication",
    "allauth",
    "allauth.account",
    "django_htmx",
    "csp",
    "mptt",
    # Wagtail: the contributor spaces (blogs/) — pages, StreamField, images, documents, revisions,
    # workflows and page permissions, with its admin at /cms/ beside Django's at /admin/.
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "community",
    "forums",
    "blogs",
    "wiki",
    "moderation",
    "cm",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The Content-Security-Policy header on every answer, error pages and static files included.
    "community.middleware.ContentSecurityPolicyMiddleware",
    # Tribune speaks GET, HEAD and POST: anything else is 405 before any view (or third-party view).
    "community.middleware.SiteMethodsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # django.contrib.auth's, the member's row read through the cache (community/signed_in.py).
    "community.signed_in.CachedUserAuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After MessageMiddleware: it tells a member logged out for a sanction why (messages.error).
    "community.middleware.MemberStateMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A post missing a field its view reads (a forged Wagtail editor form) answers 400, not 500.
    "community.middleware.IncompleteFormMiddleware",
    # Wagtail's site-wide tools (bulk actions, the page types report) for CMs and staff only.
    "community.middleware.EditorsAreaFence",
]

ROOT_URLCONF = "community.urls"
WSGI_APPLICATION = "community.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "community.User"

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
                "community.context_processors.tribune",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'tribune.sqlite3'}"),
        conn_max_age=int(env("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Wait for a writer instead of failing at once ("database is locked") in the demo: writers take
    # the lock when their transaction starts, so the busy timeout applies (a read-then-write
    # transaction cannot wait for it).
    DATABASES["default"].setdefault("OPTIONS", {}).update(timeout=20, transaction_mode="IMMEDIATE")

# --- Cache and sessions ---------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            # django-redis; its add() reports success while Redis is down (see community/cache.py).
            "BACKEND": "community.cache.OutageTolerantRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                # A Redis outage must degrade the cache (and allauth's rate limits), not the site.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
            "KEY_PREFIX": "tribune",
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The signed-in member's row and grants are read from the cache (community.signed_in,
# community.permissions.grants) only where every process shares it: a local-memory cache is each
# process's own, and a sanction or a role change made in one process must reach the others at once.
MEMBER_CACHE = env_bool("MEMBER_CACHE", default=bool(REDIS_URL))
# Anonymous forum pages are cached and invalidated by writes (community.pagecache).
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", default=True)
# Sessions are written to the database and read through the cache: a Redis outage never logs
# anyone out (reads fall back to the database), and a healthy Redis saves a query per request.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Authentication (django-allauth) --------------------------------------------------------------
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
LOGIN_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "community.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", "optional" if DEMO else "mandatory")
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_USERNAME_MIN_LENGTH = 3
# Reserved names: nobody signs up as one of these or as a look-alike of one (community.identity);
# staff may still give them in the admin.
ACCOUNT_USERNAME_BLACKLIST = ["admin", "administrator", "moderator", "moderators", "mod", "staff", "support",
                              "system", "tribune", "root", "superuser", "webmaster", "postmaster", "abuse",
                              "security", "official", "noreply"]
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_PREVENT_ENUMERATION = True
# Explicit rate limits (allauth's names). They need a shared cache: Redis in production.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}

# --- Email ------------------------------------------------------------------------------------------
EMAIL_URL = env("EMAIL_URL", "console://")
_email = dj_email_url.parse(EMAIL_URL)
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
if EMAIL_BACKEND == "django.core.mail.backends.filebased.EmailBackend":
    # file:///var/tmp/tribune-mail writes one file per connection into that directory.
    # dj-email-url drops the path's leading slash, so read the absolute path from the URL itself.
    EMAIL_FILE_PATH = urlsplit(EMAIL_URL).path
    if not EMAIL_FILE_PATH:
        raise ImproperlyConfigured("EMAIL_URL=file:// needs a directory, e.g. file:///var/tmp/tribune-mail")
EMAIL_HOST = _email["EMAIL_HOST"]
EMAIL_PORT = _email["EMAIL_PORT"]
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
EMAIL_TIMEOUT = _email.get("EMAIL_TIMEOUT") or 10
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Tribune <community@tribune.example>")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# --- Background work (Celery) -------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL  # embedded default: tasks run in-process
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Tasks are idempotent couriers: on a lost broker connection, cancel and let redelivery redo them.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 90
CELERY_TASK_IGNORE_RESULT = True
# Workers keep their database connection across tasks (Celery's Django fixup closes it around every
# task otherwise: a new PostgreSQL connection per task). community/celery.py still drops a connection
# that is too old (DB_CONN_MAX_AGE) or broken after each task, as Django does after each request.
CELERY_DB_REUSE_MAX = int(env("CELERY_DB_REUSE_MAX", "1000"))
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing must fail fast when Redis is down: the outbox row is the record, the sweeper resends.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2,
                                    "interval_max": 0.5}
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    # community.deliver_event has no route: the outbox sends each event on its kind's queue
    # (community.events.declare: content checks on "spam", fan-outs on "notifications", …).
    "community.send_notification_emails": {"queue": "email"},
    "community.send_digests": {"queue": "email"},
    "moderation.check_spam": {"queue": "spam"},
}
CELERY_BEAT_SCHEDULE = {
    "resend-stale-events": {"task": "community.sweep_events", "schedule": 60.0},
    "expire-sanctions": {"task": "moderation.expire_sanctions", "schedule": 300.0},
    "resend-pending-notification-emails": {"task": "community.sweep_notification_emails", "schedule": 120.0},
    "daily-digests": {"task": "community.send_digests", "schedule": crontab(hour=7, minute=0),
                      "args": ["daily"]},
    "weekly-digests": {"task": "community.send_digests", "schedule": crontab(hour=7, minute=30, day_of_week=1),
                       "args": ["weekly"]},
    # The CM workspace: the talent board's scores (cm.scouting), the reminders of featured terms
    # that end in 14 days (cm.casting).
    "talent-scores": {"task": "cm.compute_talent_scores", "schedule": crontab(hour=3, minute=15)},
    "casting-term-reminders": {"task": "cm.remind_term_ends", "schedule": crontab(hour=8, minute=0)},
}
# An event still pending this long after it was written is sent again by the sweeper.
OUTBOX_RESEND_AFTER_SECONDS = int(env("OUTBOX_RESEND_AFTER_SECONDS", "180"))
# With a real broker, a burst of new events wakes one drain task per queue (community.events
# .deliver_soon) instead of publishing a task per event; eager (no Redis) delivers each at once.
# Only with Redis: the wake-up flag must be shared by the web processes and the workers.
OUTBOX_WAKE = env_bool("OUTBOX_WAKE", default=not CELERY_TASK_ALWAYS_EAGER) and bool(REDIS_URL)

# --- Moderation ---------------------------------------------------------------------------------
# Spam checks (defaults in moderation/spam/conf.py); Akismet is consulted only with a key.
AKISMET_API_KEY = env("AKISMET_API_KEY", "")
SPAM_THRESHOLD = float(env("SPAM_THRESHOLD", "5.0"))
# New members (trust level 0, moderation/trust.py): links per post, posts per minute, and when the
# limits lift (account age in hours and clean posts, with no spam verdict).
NEW_MEMBER_MAX_LINKS = int(env("NEW_MEMBER_MAX_LINKS", "2"))
NEW_MEMBER_POSTS_PER_MINUTE = int(env("NEW_MEMBER_POSTS_PER_MINUTE", "3"))
NEW_MEMBER_HOURS = int(env("NEW_MEMBER_HOURS", "24"))
NEW_MEMBER_GOOD_POSTS = int(env("NEW_MEMBER_GOOD_POSTS", "3"))

# --- Internationalization -------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

# --- Static and media files -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not (DEBUG or DEMO or TESTING)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# The demo runs with DEBUG off (real error pages) and no collectstatic: whitenoise finds the files.
WHITENOISE_USE_FINDERS = DEBUG or DEMO or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or DEMO
if WHITENOISE_USE_FINDERS:
    import warnings

    # Without collectstatic there is no STATIC_ROOT, and the finders serve the files: not a problem.
    warnings.filterwarnings("ignore", message="No directory at")
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
AVATAR_MAX_BYTES = 2 * 1024 * 1024

# --- Security ---------------------------------------------------------------------------------------
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG and not DEMO)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_FAILURE_VIEW = "community.views.csrf_failure"  # in the layout, under the CSP
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp 4): no inline script, no inline style, no eval, anywhere — the
# templates load /static/ files only (htmx is told not to inject its indicator style, see base.html).
# Members embed remote images in Markdown (community.markup.IMAGE_SCHEMES): https images load; an
# http:// image is upgraded to https by the browser on an https site (mixed content), and is blocked
# on a plain-http site (the demo). The Django admin runs under the same policy.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF],
        "img-src": [csp.SELF, "data:", "https:"],
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        # Our own pages may frame ours (Wagtail's editor previews a page beside its form); no one else.
        "frame-ancestors": [csp.SELF],
        "form-action": [csp.SELF],
    },
}
# Per-path exceptions, path prefix -> directives that replace the site's for that prefix only, e.g.
# {"/cms/": {"style-src": [csp.SELF, csp.UNSAFE_INLINE]}} for an admin that cannot live without
# them (community.middleware.ContentSecurityPolicyMiddleware). Empty: every page gets the policy above.
CONTENT_SECURITY_POLICY_BY_PATH = {
    # Wagtail's admin (editors only, behind its login) styles and configures itself inline.
    # The Django admin (staff only): django-mptt's tree indents forums with inline styles.
    "/admin/": {"style-src": [csp.SELF, csp.UNSAFE_INLINE]},
    "/cms/": {"script-src": [csp.SELF, csp.UNSAFE_INLINE], "style-src": [csp.SELF, csp.UNSAFE_INLINE],
              "img-src": [csp.SELF, "data:", "blob:", "https:"], "frame-src": [csp.SELF]},
}

# --- Wagtail (the contributor spaces) -------------------------------------------------------------
WAGTAIL_SITE_NAME = SITE_NAME
WAGTAILADMIN_BASE_URL = SITE_URL
# One login for the site and its editors; a logged-in member who is no editor gets a 403 there, not
# allauth's login page (which sends a logged-in user back to ?next=/cms/: a redirect loop).
WAGTAILADMIN_LOGIN_URL = "cms_door"
WAGTAIL_PASSWORD_RESET_ENABLED = False  # allauth resets passwords, for editors too
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no member's email hash sent to a third party; initials instead
WAGTAILDOCS_EXTENSIONS = ["pdf", "mp3", "m4a", "ogg", "mp4", "webm"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024  # images: 10 MB, 40 megapixels
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]  # no SVG (scripts), no AVIF/HEIC
WAGTAILDOCS_MAX_UPLOAD_SIZE = 200 * 1024 * 1024  # an episode or a short video: 200 MB
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
TAGGIT_CASE_INSENSITIVE = True

# --- Logging ----------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "filters": {"refusals_at_info": {"()": "community.logs.RefusalsAtInfo"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # A 403 is one INFO line (path, member, reason), not a WARNING with a traceback; 500s keep theirs.
        "django.request": {"filters": ["refusals_at_info"]},
        "django.db.backends": {"level": "INFO"},
        # One line per task in eager mode (the demo) is noise.
        "celery.app.trace": {"level": "WARNING" if CELERY_TASK_ALWAYS_EAGER else "INFO"},
        # Eager mode's in-memory broker has no hostname; kombu warns about it on every publish.
        "kombu.connection": {"level": "ERROR" if CELERY_TASK_ALWAYS_EAGER else "WARNING"},
    },
}
