import pytest
from wagtail.models import Locale

from allas_site.core import page_tree
from tests.publications import factories


@pytest.fixture
def index(home_page):
    return factories.cuadernos_index(home_page)


@pytest.fixture
def english_index(index):
    locale = Locale.objects.get(language_code="en")
    translated = page_tree.start_translation(index, locale)
    translated.title = "Cuadernos"
    translated.save_revision().publish()
    return translated
