"""The demo content reads in four languages: the twelve messages, "Sobre AL-LAs",
partners and topics are translated (no "untranslated" notice), the footer and the home
page link the messages page in each language, and loading the demo again (also over a
database an earlier demo filled) creates nothing twice."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation
from wagtail.models import Page, Revision

from allas_site.core import page_tree
from allas_site.core.models import HomePage
from allas_site.partners.models import Partner
from allas_site.publications import demo_translations
from allas_site.publications.models import MessagesPage
from allas_site.topics.models import Topic

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "fr", "pt")
UNTRANSLATED = "notice--untranslated"


@pytest.fixture
def demo(demo_for_module):
    """Built once for the module (see tests/conftest.py)."""


def _get(client, path):
    # Responses leave their language active in this thread: keep it out of other tests.
    with translation.override("es"):
        response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def _h1(html):
    return re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1).strip()


def test_messages_and_about_pages_are_translated(demo, client):
    for code in LANGUAGES:
        html = _get(client, f"/{code}/mensajes/")
        assert _h1(html) == demo_translations.MESSAGES_PAGE[code]["title"]
        title, text = demo_translations.MESSAGES[code][8]
        assert title in html and text.split(":")[0][:60] in html
        assert 'id="mensaje-12"' in html
        assert UNTRANSLATED not in html
        # The linked Cuadernos are those of the same language's tree.
        related = re.findall(r'class="message__related">.*?href="([^"]+)"', html, re.S)
        assert len(related) == 12 and all(url.startswith(f"/{code}/cuadernos/") for url in related)

        html = _get(client, f"/{code}/sobre-allas/")
        about = demo_translations.ABOUT[code]
        assert _h1(html) == about["title"]
        assert about["activities"][0] in html and about["heading"] in html
        assert UNTRANSLATED not in html
    assert _h1(_get(client, "/mensajes/")) == "Los mensajes"


def test_partners_and_topics_are_translated(demo, client):
    html = _get(client, "/fr/socios/")
    assert demo_translations.PARTNERS["lyon"]["fr"]["description"][:40] in html
    assert "Métropole française" in html and "Metrópoli francesa" not in html

    html = _get(client, "/pt/socios/ciudad-de-mexico/")
    assert _h1(html) == "Cidade do México"
    assert "Coordena o projeto AL-LAs" in html

    html = _get(client, "/en/socios/quito/")
    assert "Host of the Habitat III conference" in html

    for code in LANGUAGES:
        html = _get(client, f"/{code}/temas/")
        assert demo_translations.TOPICS["redes-de-ciudades"][code][0] in html
    for slug, texts in demo_translations.TOPICS.items():
        for code, (name, description) in texts.items():
            topic = Topic.objects.get(slug=slug, locale__language_code=code)
            assert (topic.name, topic.description) == (name, description)


def test_footer_and_home_link_the_messages_page(demo, client):
    labels = {"es": "Los doce mensajes", "en": "The twelve messages",
              "fr": "Les douze messages", "pt": "As doze mensagens"}
    about = {"es": "Sobre AL-LAs", "en": "About AL-LAs", "fr": "À propos d’AL-LAs",
             "pt": "Sobre o AL-LAs"}
    for code, label in labels.items():
        prefix = "/" if code == "es" else f"/{code}/"
        html = _get(client, prefix)
        footer = html[html.index('<footer class="site-footer"'):]
        assert f'href="{prefix}mensajes/">{label}</a>' in footer
        assert f'href="{prefix}sobre-allas/">{about[code]}</a>' in footer
        main = html[:html.index('<footer class="site-footer"')]
        assert f'href="{prefix}mensajes/"' in main  # the home page's own section
        assert f'href="{prefix}mensajes/#mensaje-1"' in main
        # Any page's footer, not only the home page's.
        assert f'href="{prefix}mensajes/">{label}</a>' in _get(client, f"{prefix}cuadernos/")


def _counts():
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "partners": Partner.objects.count(),
        "topics": Topic.objects.count(),
        "messages pages": MessagesPage.objects.count(),
        "home pages": HomePage.objects.count(),
    }


def test_loading_the_demo_twice_creates_nothing_twice(demo):
    counts = _counts()
    call_command("load_demo", stdout=StringIO())
    assert _counts() == counts
    assert counts["messages pages"] == 4
    assert counts["home pages"] == 4  # es + en, fr, pt
    assert counts["partners"] == 4 * Partner.objects.filter(locale__language_code="es").count()
    assert counts["topics"] == 4 * Topic.objects.filter(locale__language_code="es").count()


def test_loading_over_an_earlier_demo_translates_what_it_left(demo):
    """An earlier demo left the messages page as aliases, topics in English with their
    Spanish description and no partner translations; loading again fills the gaps."""
    messages = MessagesPage.objects.get(locale__language_code="es")
    for translated in MessagesPage.objects.exclude(pk=messages.pk):
        translated.delete()
    page_tree.sync_page_tree()
    assert MessagesPage.objects.filter(alias_of=messages).count() == 3
    Partner.objects.exclude(locale__language_code="es").delete()
    Topic.objects.filter(locale__language_code__in=["fr", "pt"]).delete()
    spanish = Topic.objects.get(slug="marco-juridico", locale__language_code="es")
    english = Topic.objects.get(slug="marco-juridico", locale__language_code="en")
    english.description = spanish.description
    english.save()

    call_command("load_demo", stdout=StringIO())
    assert MessagesPage.objects.filter(alias_of__isnull=True).count() == 4
    assert not MessagesPage.objects.filter(alias_of__isnull=False).exists()
    english.refresh_from_db()
    assert english.description == demo_translations.TOPICS["marco-juridico"]["en"][1]
    assert Topic.objects.filter(translation_key=spanish.translation_key).count() == 4
    assert Partner.objects.filter(slug="lyon").count() == 4
