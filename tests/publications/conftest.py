import pytest
from wagtail.models import Locale

from tests.publications import factories


@pytest.fixture
def index(home_page):
    return factories.cuadernos_index(home_page)


@pytest.fixture
def english_index(index):
    locale = Locale.objects.get(language_code="en")
    translated = index.copy_for_translation(locale)
    translated.title = "Cuadernos"
    translated.save_revision().publish()
    return translated
