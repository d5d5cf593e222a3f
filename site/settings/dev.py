"""Local development: the embedded default, with debug on."""

from .base import *  # noqa: F403

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-not-secret-8d1f0c1b7a2e4b8f9c0d"  # noqa: S105
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# `make run` serves with DEBUG off (the platform's own error pages) and still serves
# uploads itself; production leaves media to the web server or a volume.
SERVE_MEDIA = True
