"""Test settings: fast hashing, in-process tasks; database and Redis come from the
environment so the same suite runs on the embedded default and on PostgreSQL + Redis."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret-0b6f7c2d91e84a5f"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
if REDIS_URL:
    # Keep test keys apart from anything else in the same Redis.
    CACHES["default"]["KEY_PREFIX"] = "allas-test"
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = "allas-test"
if not DATABASE_URL:
    # A file, not memory, so a server process started by a test can share it; one per
    # test run (pid) so two runs on one machine do not destroy each other's database.
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES["default"]["TEST"] = {
        "NAME": str(BASE_DIR / "var" / f"test-db-{os.getpid()}.sqlite3")
    }
# Connections opened by worker threads (consumers' database_sync_to_async) must not
# outlive a test, or PostgreSQL refuses to drop the test database at the end.
DATABASES["default"]["CONN_MAX_AGE"] = 0
# Tests run inside a transaction that never commits: index at once (search.signals).
SEARCH_INDEX_AT_ONCE = True
