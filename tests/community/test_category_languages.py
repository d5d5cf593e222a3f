"""Café categories in four languages: Wagtail translations of each category."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from wagtail.models import Locale

from community import services
from community.models import Category
from tests import factories
from tests.community.factories import CategoryFactory, DebateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def locales(db):
    return {code: Locale.objects.get_or_create(language_code=code)[0]
            for code in ("es", "en", "fr", "pt")}


def _translate(category, locale, name, description=""):
    translated = category.copy_for_translation(locale)
    translated.name, translated.description = name, description
    translated.save()
    return translated


def test_pages_name_a_category_in_the_visitors_language(client, locales):
    category = CategoryFactory(name="Cooperación descentralizada", slug="cooperacion",
                               description="Proyectos entre gobiernos locales.")
    debate = DebateFactory(category=category, title="¿Cómo empezar?")
    _translate(category, locales["fr"], "Coopération décentralisée",
               "Projets entre collectivités locales.")
    french = client.get("/fr/cafe/cooperacion/").content.decode()
    assert "<h1>Coopération décentralisée</h1>" in french
    assert "Projets entre collectivités locales." in french
    assert "Coopération décentralisée" in client.get("/fr/cafe/").content.decode()
    assert "Coopération décentralisée" in client.get(
        f"/fr/cafe/debates/{debate.pk}/").content.decode()
    # Spanish keeps the original; a language without a translation falls back to it.
    spanish = client.get("/cafe/cooperacion/").content.decode()
    assert "<h1>Cooperación descentralizada</h1>" in spanish
    assert "<h1>Cooperación descentralizada</h1>" in client.get(
        "/pt/cafe/cooperacion/").content.decode()


def test_the_cafe_lists_each_category_once_whatever_its_translations(client, locales):
    category = CategoryFactory(name="Agendas", slug="agendas")
    for code in ("en", "fr", "pt"):
        _translate(category, locales[code], f"Agendas {code}")
    assert list(Category.objects.visible_to(factories.learner())) == [category]
    html = client.get("/en/cafe/").content.decode()
    assert html.count("/en/cafe/agendas/") >= 1 and "Agendas fr" not in html


def test_a_translation_keeps_the_originals_access_and_address(locales, moderator):
    category = CategoryFactory(name="Sala de expertos", slug="sala", read_access="experts",
                               post_access="experts")
    french = _translate(category, locales["fr"], "Salon des experts")
    french.read_access, french.slug = "everyone", "salon"  # an editor's attempt
    services.do_save_category(_admin(moderator), french)
    french.refresh_from_db()
    assert (french.read_access, french.slug) == ("experts", "sala")
    # Changing who may read the original changes it for every language.
    category.read_access = "members"
    services.do_save_category(_admin(moderator), category)
    french.refresh_from_db()
    assert french.read_access == "members"


def test_translations_are_made_with_wagtails_translate_action(client, locales, moderator):
    category = CategoryFactory(name="Agendas", slug="agendas")
    client.force_login(_admin(moderator))
    url = reverse("simple_translation:submit_snippet_translation",
                  args=["community", "category", category.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"locales": [locales["en"].pk]}).status_code == 302
    english = category.get_translation(locales["en"])
    assert english.slug == "agendas" and english.read_access == category.read_access


def test_a_category_created_directly_in_another_language_is_refused(client, locales, moderator):
    client.force_login(_admin(moderator))
    response = client.post(reverse("cafe_categories:add") + "?locale=fr", {
        "name": "Nouvelle", "slug": "nouvelle", "description": "",
        "read_access": "everyone", "post_access": "members", "order": 0,
    })
    assert response.status_code == 200
    assert "Crea primero la categoría en español" in response.content.decode()
    assert not Category.objects.filter(slug="nouvelle").exists()


def test_translated_names_cost_no_query_per_category(
    client, locales, django_assert_max_num_queries
):
    for number in range(2):
        _translate(CategoryFactory(), locales["en"], f"Category {number}")
    client.get("/en/cafe/")
    with django_assert_max_num_queries(40) as few:
        client.get("/en/cafe/?x=1")
    baseline = len(few.captured_queries)
    for number in range(2, 8):
        _translate(CategoryFactory(), locales["en"], f"Category {number}")
    client.get("/en/cafe/")
    with django_assert_max_num_queries(baseline):
        client.get("/en/cafe/?x=2")


def _admin(user):
    for codename in ("add_category", "change_category", "view_category", "access_admin",
                     "submit_translation"):
        user.user_permissions.add(*Permission.objects.filter(codename=codename))
    return type(user).objects.get(pk=user.pk)
