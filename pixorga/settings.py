"""pixorga settings, read from the environment with safe local defaults.

Production sets SECRET_KEY, DEBUG=0, ALLOWED_HOSTS, CSRF_TRUSTED_ORIGINS and DATABASE_URL.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
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
    "accounts",
    "profiles",
    "students",
    "campaigns",
    "evaluation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "pixorga.middleware.RejectNulBytesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.CurrentOrganizationMiddleware",
    "students.middleware.PasswordChoiceMiddleware",
]

if not DEBUG:
    # In production gunicorn serves the collected static files itself; runserver does it in development.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

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
AUTHENTICATION_BACKENDS = ["accounts.backends.UsernameOrEmailBackend"]
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
STATIC_ROOT = BASE_DIR / "staticfiles"
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

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))

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
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
