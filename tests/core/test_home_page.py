import pytest
from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase

from allas_site.core.models import HomePage

pytestmark = pytest.mark.django_db


def test_home_page_is_the_site_root_and_renders(client, home_page):
    assert Site.objects.get(is_default_site=True).root_page_id == home_page.pk
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert home_page.hero_title in html
    for label in ("Cuadernos", "Cursos", "Webinars", "Café"):
        assert f">{label}</a>" in html
    # The header's search box submits to the search (and suggests with search.js).
    assert 'action="/buscar/"' in html and "data-search-autocomplete" in html
    assert 'href="/cuentas/login/"' in html


def test_every_language_has_its_home(client, home_page):
    for prefix, language in (("/en/", "en"), ("/fr/", "fr"), ("/pt/", "pt")):
        response = client.get(prefix)
        assert response.status_code == 200
        assert f'<html lang="{language}">' in response.content.decode()


def test_language_switcher_links_to_the_translations(client, home_page):
    html = client.get("/").content.decode()
    for code in ("en", "fr", "pt"):
        assert f'href="/{code}/" hreflang="{code}"' in html


def test_home_page_query_budget(client, home_page, django_assert_max_num_queries):
    # Each capability's home section costs a few queries; that they stay constant as
    # content grows is pinned in the capabilities' own tests (tests/publications, …).
    client.get("/")
    with django_assert_max_num_queries(20):
        client.get("/")


class TestHomePageType(WagtailPageTestCase):
    def test_home_pages_sit_only_at_the_root(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
