import io

import pytest
from django.conf import settings
from django.core.cache import cache
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
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


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
