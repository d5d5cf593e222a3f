"""Every page in every language: Wagtail's synchronised tree with alias pages."""

import pytest
from django.test import override_settings
from wagtail.models import Locale, Page

from allas_site.core import page_tree
from allas_site.publications.models import PublicationPage
from tests.publications import factories as pub

pytestmark = pytest.mark.django_db


@pytest.fixture
def index(home_page):
    return pub.cuadernos_index(home_page)


def _in(locale_code, page):
    return Page.objects.get(translation_key=page.translation_key, locale__language_code=locale_code)


def test_publishing_a_page_creates_live_aliases_in_every_language(index):
    page = pub.publication(index, title="Ciudades que cooperan")
    for code in ("en", "fr", "pt"):
        alias = _in(code, page)
        assert alias.alias_of_id == page.pk and alias.live
        assert alias.url_path.endswith(f"/cuadernos/{page.slug}/")


def test_every_language_serves_the_page_with_a_notice_and_the_content_marked_spanish(
    client, index
):
    page = pub.publication(index, title="Ciudades que cooperan")
    response = client.get(f"/fr/cuadernos/{page.slug}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr">' in html
    assert "notice--untranslated" in html
    assert "pas encore traduite" in html and "(espagnol)" in html
    assert '<h1 lang="es">Ciudades que cooperan</h1>' in html
    # The Spanish original carries no notice and no extra lang attribute.
    spanish = client.get(f"/cuadernos/{page.slug}/").content.decode()
    assert "notice--untranslated" not in spanish and '<h1 lang="es">' not in spanish


def test_a_translated_page_carries_no_notice(client, index):
    page = pub.publication(index, title="Ciudades que cooperan")
    english = page_tree.start_translation(page, Locale.objects.get(language_code="en"))
    english.title = "Cities that cooperate"
    english.save_revision().publish()
    html = client.get(f"/en/cuadernos/{english.slug}/").content.decode()
    assert "Cities that cooperate" in html and "notice--untranslated" not in html


def test_start_translation_turns_the_alias_into_a_page_of_its_own(index):
    page = pub.publication(index)
    french_alias = _in("fr", page)
    translated = page_tree.start_translation(page, Locale.objects.get(language_code="fr"))
    assert translated.pk == french_alias.pk and translated.alias_of_id is None
    # Publishing the original no longer overwrites the translation.
    translated.title = "Cahier traduit"
    translated.save_revision().publish()
    page.title = "Título nuevo"
    page.save_revision().publish()
    assert Page.objects.get(pk=translated.pk).title == "Cahier traduit"
    assert page_tree.start_translation(page, Locale.objects.get(language_code="fr")) is None


def test_listing_shows_translated_items_first_then_the_rest_labelled(client, index):
    older = pub.publication(index, title="Original en español")
    newer = pub.publication(index, title="Otro original")
    english = page_tree.start_translation(older, Locale.objects.get(language_code="en"))
    english.title = "Translated notebook"
    english.save_revision().publish()
    html = client.get("/en/cuadernos/").content.decode()
    assert html.index("Translated notebook") < html.index("Otro original")
    assert html.count("badge--language") == 1  # only the untranslated card
    assert "In Spanish" in html
    assert newer.title in html


def test_a_language_with_nothing_translated_still_lists_the_collection(client, index):
    for _ in range(3):
        pub.publication(index)
    html = client.get("/fr/cuadernos/").content.decode()
    assert html.count('class="card pub-card"') == 3
    assert "Aucune publication" not in html


def test_a_new_language_gets_the_whole_tree(django_capture_on_commit_callbacks, index):
    page = pub.publication(index)
    languages = [("es", "Español"), ("it", "Italiano")]
    with (
        override_settings(WAGTAIL_CONTENT_LANGUAGES=languages),
        django_capture_on_commit_callbacks(execute=True),
    ):
        italian = Locale.objects.create(language_code="it")
    assert Page.objects.filter(locale=italian, translation_key=page.translation_key).exists()
    assert Page.objects.filter(locale=italian, translation_key=index.translation_key).exists()


def test_sync_page_tree_is_idempotent(index):
    pub.publication(index)
    before = Page.objects.count()
    assert page_tree.sync_page_tree() == []
    assert Page.objects.count() == before


def test_listing_queries_do_not_grow_with_untranslated_items(
    client, index, learner, django_assert_max_num_queries
):
    client.force_login(learner)  # past the anonymous page cache
    for _ in range(2):
        pub.publication(index)
    client.get("/en/cuadernos/")  # publishing empties Wagtail's site caches: warm them
    with django_assert_max_num_queries(30) as few:
        client.get("/en/cuadernos/?orden=numero")
    baseline = len(few.captured_queries)  # the next request empties the query log
    for _ in range(6):
        pub.publication(index)
    client.get("/en/cuadernos/")
    with django_assert_max_num_queries(baseline):
        client.get("/en/cuadernos/?orden=numero")
    assert PublicationPage.objects.filter(locale__language_code="en").count() == 8


def test_an_alias_points_search_engines_to_its_original(client, index, settings):
    settings.BASE_URL = "https://campus.example.org"
    page = pub.publication(index, title="Ciudades que cooperan")
    html = client.get(f"/pt/cuadernos/{page.slug}/").content.decode()
    original = f"https://campus.example.org/cuadernos/{page.slug}/"
    assert f'<link rel="canonical" href="{original}">' in html
    assert 'hreflang="pt"' not in html  # an alias is not an alternate language version
    sitemap = client.get("/sitemap.xml").content.decode()
    assert f"/cuadernos/{page.slug}/</loc>" in sitemap
    assert f"/pt/cuadernos/{page.slug}/</loc>" not in sitemap
