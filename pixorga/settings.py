"""pixorga settings, read from the environment.

A missing variable gives the safe value: DEBUG is off unless DEBUG=1 (`make run` and the tests set it), and
without DEBUG a missing SECRET_KEY stops the start. Production sets SECRET_KEY, ALLOWED_HOSTS,
CSRF_TRUSTED_ORIGINS, DATABASE_URL and REDIS_URL; README « Déployer et passer à l'échelle » lists the rest.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default):
    return int(os.environ.get(name, str(default)))


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "pixorga.admin.PixorgaAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_scopes",
    "django_filters",
    "axes",
    "pixorga.apps.PixorgaConfig",
    "accounts",
    "profiles",
    "students",
    "campaigns",
    "evaluation",
]

MIDDLEWARE = [
    # Answers /healthz before anything else: no host check, no HTTPS redirect, no session, no log line.
    "pixorga.middleware.HealthCheckMiddleware",
    "pixorga.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "pixorga.middleware.RejectNulBytesMiddleware",
    "pixorga.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.CurrentOrganizationMiddleware",
    # After the organization is known: a teacher's session lasts longer than a pupil's.
    "pixorga.middleware.IdleSessionMiddleware",
    "students.middleware.PasswordChoiceMiddleware",
    "pixorga.middleware.TooManyRequestsMiddleware",
    # Last: it turns a refused login (locked account) into the French 429 page.
    "axes.middleware.AxesMiddleware",
]

if not DEBUG:
    # In production gunicorn serves the collected static files itself; runserver does it in development.
    # After the health check and the request id, before the headers that only pages need.
    MIDDLEWARE.insert(2, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "pixorga.urls"

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
                "accounts.context_processors.organizations",
            ],
            "builtins": ["pixorga.typography"],
        },
    },
]

WSGI_APPLICATION = "pixorga.wsgi.application"
ASGI_APPLICATION = "pixorga.asgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First, so that a locked account is refused before its password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.UsernameOrEmailBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = os.environ.get("STATIC_ROOT", str(BASE_DIR / "staticfiles"))
# Uploaded files (roster imports) wait here for the Celery worker, which deletes them once read: the web
# and worker processes must share this folder. Nothing in it is served.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "pixorga <ne-pas-repondre@pixorga.localhost>")

# HTTPS hardening: on by default in production, each part can be turned off (e.g. to try the compose stack
# over plain HTTP on a laptop).
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
if env_bool("BEHIND_HTTPS_PROXY", not DEBUG):
    # The TLS-terminating proxy in front of gunicorn says the original scheme in this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# No inline script or style anywhere: htmx's own indicator style is turned off by base.html's htmx-config.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}
# Pupils on shared school computers: no page of ours needs a sensor, the camera or the microphone.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

# Sessions end with the browser, and after some idle time: short for pupils (a shared computer in class),
# longer for teachers (a working afternoon). The idle time is checked by pixorga.middleware.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_IDLE_SECONDS_PUPIL = 60 * env_int("SESSION_IDLE_MINUTES_PUPIL", 30)
SESSION_IDLE_SECONDS_TEACHER = 60 * env_int("SESSION_IDLE_MINUTES_TEACHER", 4 * 60)
SESSION_COOKIE_AGE = max(SESSION_IDLE_SECONDS_PUPIL, SESSION_IDLE_SECONDS_TEACHER)

# Number of reverse proxies in front of gunicorn that append to X-Forwarded-For; 0 trusts REMOTE_ADDR only.
# Rate limits and login lockouts count per client address, so this must match the deployment.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Login lockout (django-axes), kept in the shared cache: a locked account is refused for the cool-off time
# whatever the password. Per account only; the per-address count of failed logins is a rate limit below,
# with a higher threshold, because a whole school often shares one address.
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURES_PER_ACCOUNT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_RESET_ON_SUCCESS = True
# The time the lockout page announces stays true: attempts while locked do not push it back.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_CALLABLE = "pixorga.ratelimits.login_identifier"
AXES_LOCKOUT_CALLABLE = "pixorga.ratelimits.login_lockout_response"
AXES_ENABLE_ADMIN = False
SILENCED_SYSTEM_CHECKS = [
    # axes wants the address among its lockout parameters; the address is limited by RATELIMITS["login-ip"]
    # instead, with a higher threshold than one account's (a whole school often shares one address).
    "axes.W006",
]

# Rate limits (django-ratelimit counters in the shared cache), as « count/period » (s, m, h, d; « 15m »
# is 15 minutes); several limits separated by commas all apply. Each one answers 429 with the time to wait.
# Sized for a class of 35 behind one school address, at the same minute.
RATELIMIT_USE_CACHE = "default"
RATELIMITS = {
    # Failed logins from one address, on any accounts.
    "login-ip": os.environ.get("RATELIMIT_LOGIN_IP", "100/15m"),
    # Campaign codes that match no campaign (mistyped or guessed).
    "code-user": os.environ.get("RATELIMIT_CODE_USER", "20/10m"),
    "code-ip": os.environ.get("RATELIMIT_CODE_IP", "200/10m"),
    # Failed reconciliations: per pupil account, and per roster entry (school + names) whoever tries.
    "reconcile-user": os.environ.get("RATELIMIT_RECONCILE_USER", "5/15m,20/d"),
    "reconcile-learner": os.environ.get("RATELIMIT_RECONCILE_LEARNER", "10/h,30/d"),
    # Signups and password-reset requests: per address, and per e-mail address they write to.
    "signup-ip": os.environ.get("RATELIMIT_SIGNUP_IP", "100/h"),
    "signup-email": os.environ.get("RATELIMIT_SIGNUP_EMAIL", "3/h"),
    "password-reset-ip": os.environ.get("RATELIMIT_PASSWORD_RESET_IP", "50/h"),
    "password-reset-email": os.environ.get("RATELIMIT_PASSWORD_RESET_EMAIL", "3/h"),
    # Invitation links that lead nowhere (a guessed or expired token).
    "invitation-ip": os.environ.get("RATELIMIT_INVITATION_IP", "30/h"),
}

REST_FRAMEWORK = {
    # A token first: its `WWW-Authenticate` makes an anonymous request a 401, not a 403. The browser's
    # session works too, with DRF's CSRF check on every change.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api_auth.TokenAuthentication",
        "accounts.api_auth.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "accounts.api_auth.ReadOnlyTokenPermission",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "accounts.api_auth.TokenRateThrottle",
        "accounts.api_auth.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "jeton": os.environ.get("API_THROTTLE_TOKEN", "300/min"),
        "utilisateur": os.environ.get("API_THROTTLE_USER", "600/min"),
    },
    "DEFAULT_PAGINATION_CLASS": "pixorga.pagination.ApiPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON first; a form body works too, for `curl -d` and scripts that post forms.
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "pixorga.api.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "pixorga.api.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "API de pixorga",
    "VERSION": "1",
    "DESCRIPTION": (
        "Les campagnes de collecte de profils, leurs résultats et la base élèves, pour les outils des "
        "établissements ; et, pour un élève, rejoindre une campagne et y envoyer son profil.\n\n"
        "**Authentification** : un jeton personnel, créé depuis la page « Jetons d'API » "
        "(`/compte/jetons/`), dans l'en-tête `Authorization: Bearer pxo_…` ; ou la session du navigateur "
        "(avec le jeton CSRF pour les modifications). Un jeton en lecture seule ne peut que consulter.\n\n"
        "**Organisation** : les adresses de la console travaillent pour l'organisation `?organisation=<id>` "
        "(voir `/api/v1/organisations/`), par défaut celle où vous travaillez dans la console.\n\n"
        "**Pages** : `page` (à partir de 1) et `taille` (25 par défaut, 100 au plus).\n\n"
        '**Erreurs** : toujours `{"erreur": {"code", "message", "champs"}}`, avec un `code` stable, '
        "un message en français et, pour une donnée invalide, les messages de chaque champ.\n\n"
        "**Identifiant des élèves** : `learner_id` est le même dans les résultats, la base élèves et la "
        "dernière colonne de l'export CSV."
    ),
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI's files come from drf-spectacular-sidecar, served as our own static files: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "pixorga.api.french_typography_hook",
    ],
    "ENUM_NAME_OVERRIDES": {
        "CampaignTypeEnum": "campaigns.models.Campaign.Type",
        "ExternalIdTypeEnum": "campaigns.models.Campaign.ExternalIdType",
        "ParticipationStatusEnum": "campaigns.models.Participation.Status",
        "OrganizationTypeEnum": "accounts.models.Organization.Type",
        "RoleEnum": "accounts.models.Membership.Role",
    },
}

# Pix's constants. MAX_REACHABLE_LEVEL is raised by Pix over time (6 since 2020, 7 since 2023), so it is a
# setting; the others are fixed by the certification rules.
PIX_MAX_REACHABLE_LEVEL = int(os.environ.get("PIX_MAX_REACHABLE_LEVEL", "7"))

# How long the link of a team invitation e-mail stays valid; a resend gives a new one.
INVITATION_MAX_AGE_DAYS = int(os.environ.get("INVITATION_MAX_AGE_DAYS", "7"))

# Self-evaluation (evaluation/engine.py): a competence may be evaluated again this many days after its last
# evaluation ended (Pix's delay before « Retenter »), and an evaluation asks at most this many challenges.
EVALUATION_RETRY_DELAY_DAYS = int(os.environ.get("EVALUATION_RETRY_DELAY_DAYS", "4"))
EVALUATION_MAX_CHALLENGES = int(os.environ.get("EVALUATION_MAX_CHALLENGES", "20"))

# Redis carries the cache (rate limits, locks) and Celery's queue in production. Without it, the embedded
# default keeps the cache in memory and runs every task in-process, so a newcomer needs no server.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that stops answering fails the request (and /healthz) in seconds, not minutes.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # The embedded default runs one process (runserver), so its memory cache is shared by every request
    # and holds the login lockouts well; with REDIS_URL, axes checks the cache it gets.
    SILENCED_SYSTEM_CHECKS.append("axes.W001")

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", REDIS_URL) or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # Pix recomputes every night the certificabilité of the schools' pupils from their live profiles.
    "students-certificability-nightly": {
        "task": "students.tasks.certificability_refresh_all",
        "schedule": crontab(hour=2, minute=30),
    },
    "purge-expired-data": {
        "task": "campaigns.tasks.purge_expired_data_task",
        "schedule": crontab(hour=3, minute=30),
    },
}

# RGPD: a campaign archived for longer than this is deleted, with its pupils' sendings (3 school years).
PIXORGA_RETENTION_DAYS = int(os.environ.get("PIXORGA_RETENTION_DAYS", str(3 * 365)))
# Workers and beat log through LOGGING below (JSON in production, request id field), not Celery's format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# One line per record on stderr: JSON in production (the log collector parses it), plain text in
# development. Every record carries the request id; none carries a pupil's name, birth date or e-mail
# (tests/test_logs.py checks a whole sending flow).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "pixorga.logs.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": LOG_FORMAT},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
