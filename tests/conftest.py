import io

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation

from tests import factories
from tests.kept import kept_for_module


@pytest.fixture(autouse=True)
def _clean_cache():
    # allauth's rate limits live in the cache; with Redis it outlives a test.
    cache.clear()
    yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's, then, before it drops the test database on PostgreSQL, the
    connections still open to it closed: the pool's idle ones, and those of worker
    threads and of server processes a test started, which would otherwise keep it
    "accessed by other users" and leave it behind."""
    yield
    from django.db import connections

    with django_db_blocker.unblock():
        for connection in connections.all(initialized_only=True):
            if connection.vendor != "postgresql":
                continue
            if connection.alias in getattr(type(connection), "_connection_pools", {}):
                connection.close_pool()
            connection.close()
            with connection._nodb_cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = %s AND pid <> pg_backend_pid()",
                    [connection.settings_dict["NAME"]],
                )


@pytest.fixture(autouse=True)
def _default_language():
    # A request under /en/, /fr/ or /pt/ activates that language in the test's thread
    # and nothing deactivates it: the next test would run (and render) in it.
    yield
    translation.activate(settings.LANGUAGE_CODE)


# Module-scoped fixtures built with ``kept_for_module``: their files live with them.
KEPT_FOR_MODULE = ("demo_for_module", "campus_for_module")


@pytest.fixture(autouse=True)
def _media_root(request, settings, tmp_path):
    kept = [name for name in KEPT_FOR_MODULE if name in request.fixturenames]
    if kept:
        settings.MEDIA_ROOT = request.getfixturevalue(kept[0])["media"]
    else:
        settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="module")
def demo_for_module(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo content, built once for a module whose tests read it."""
    with kept_for_module(django_db_blocker, tmp_path_factory) as media:
        call_command("load_demo", stdout=io.StringIO())
        yield {"media": media}


@pytest.fixture
def home_page(db):
    from allas_site.core.demo import indexed_once, load_home

    with indexed_once():
        return load_home(io.StringIO())


@pytest.fixture
def learner(db):
    return factories.learner()


@pytest.fixture
def expert(db):
    return factories.expert()


@pytest.fixture
def moderator(db):
    return factories.moderator()


@pytest.fixture
def editor(db):
    return factories.editor()


@pytest.fixture
def superuser(db):
    return factories.UserFactory(is_superuser=True, is_staff=True)
