import io

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation

from tests import factories


@pytest.fixture(autouse=True)
def _clean_cache():
    # allauth's rate limits live in the cache; with Redis it outlives a test.
    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _default_language():
    # A request under /en/, /fr/ or /pt/ activates that language in the test's thread
    # and nothing deactivates it: the next test would run (and render) in it.
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _media_root(request, settings, tmp_path):
    if "demo_for_module" in request.fixturenames:
        # The module's demo files (PDFs, images) live with it.
        settings.MEDIA_ROOT = request.getfixturevalue("demo_for_module")["media"]
    else:
        settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="module")
def demo_for_module(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo content, built once for a module whose tests read it, in a transaction
    that is rolled back after the module's last test.

    Each test still runs in its own savepoint inside it (pytest-django's ``db``), so
    what one test writes is gone for the next, as with Django's ``setUpTestData``.
    Tests that need a commit (transactional ones, or a server in another process) cannot
    see it: they build their own.
    """
    from django.db import transaction
    from django.test.utils import override_settings

    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        kept = transaction.atomic()
        kept.__enter__()
        try:
            cache.clear()
            call_command("load_demo", stdout=io.StringIO())
            yield {"media": media}
        finally:
            transaction.set_rollback(True)
            kept.__exit__(None, None, None)
            cache.clear()  # pages and fragments cached from content that is gone


@pytest.fixture
def home_page(db):
    from allas_site.core.demo import load_home

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
