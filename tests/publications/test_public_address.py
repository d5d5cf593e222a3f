"""Every absolute link names the configured public address (BASE_URL), in every
language: citations, sitemap, robots.txt, canonical and Open Graph tags, feeds and the
API say the same URL, whatever host the request came in on."""

import re

import pytest
from django.utils import translation
from wagtail.models import Locale

from allas_site.core import page_tree
from allas_site.publications import citations
from tests.publications import factories

pytestmark = pytest.mark.django_db

PUBLIC = "https://campus.example.org"


@pytest.fixture(autouse=True)
def _public_address(settings):
    settings.BASE_URL = PUBLIC
    # A request under /en/ leaves English active in this thread: restore Spanish.
    with translation.override("es"):
        yield


def in_english(page):
    """The page translated into English (its alias turned into a page of its own: an
    alias is not an alternate language version, and names its original as canonical)."""
    locale = Locale.objects.get(language_code="en")
    english = page_tree.start_translation(page, locale) or page.get_translation(locale)
    english.save_revision().publish()
    return english.specific


@pytest.fixture
def cuaderno(index):
    in_english(index)
    page = factories.publication(index, title="Ciudades en red", authors=("Mariana Ortega",))
    return page, in_english(page)


def expected_urls(cuaderno):
    spanish, english = cuaderno
    return [
        (spanish, f"{PUBLIC}/cuadernos/{spanish.slug}/"),
        (english, f"{PUBLIC}/en/cuadernos/{english.slug}/"),
    ]


def test_page_head_names_the_public_address(client, cuaderno):
    for page, url in expected_urls(cuaderno):
        html = client.get(page.url, HTTP_HOST="127.0.0.1").content.decode()
        assert f'<link rel="canonical" href="{url}">' in html
        assert f'<meta property="og:url" content="{url}">' in html
        # Each language version lists the other at its public address too.
        for other, other_url in expected_urls(cuaderno):
            if other.pk == page.pk:
                continue
            lang = other.locale.language_code
            assert f'<link rel="alternate" hreflang="{lang}" href="{other_url}">' in html
        assert "http://127.0.0.1" not in html and "http://testserver" not in html


def test_citations_name_the_public_address(client, cuaderno):
    for page, url in expected_urls(cuaderno):
        citation = citations.for_page(page)
        assert citation.apa.endswith(f". AL-LAs. {url}")
        assert f"  url = {{{url}}}" in citation.bibtex
        # The page shows the same citation, whatever the request's host.
        html = client.get(page.url, HTTP_HOST="localhost").content.decode()
        assert url in re.search(r'id="cita-apa">(.*?)</p>', html, re.S).group(1)


def test_sitemap_and_robots_name_the_public_address(client, cuaderno):
    xml = client.get("/sitemap.xml", HTTP_HOST="localhost").content.decode()
    for _page, url in expected_urls(cuaderno):
        assert f"<loc>{url}</loc>" in xml
        assert f'href="{url}"/>' in xml
    assert "localhost" not in xml
    robots = client.get("/robots.txt", HTTP_HOST="localhost").content.decode()
    assert f"Sitemap: {PUBLIC}/sitemap.xml" in robots


def test_api_html_url_is_the_public_address(client, cuaderno):
    for page, url in expected_urls(cuaderno):
        detail = client.get(f"/api/v2/pages/{page.pk}/", HTTP_HOST="localhost").json()
        assert detail["meta"]["html_url"] == url
        assert detail["meta"]["parent"]["meta"]["html_url"].startswith(f"{PUBLIC}/")
    listing = client.get("/api/v2/pages/?locale=en&type=publications.PublicationPage").json()
    assert [item["meta"]["html_url"] for item in listing["items"]] == [
        f"{PUBLIC}/en/cuadernos/{cuaderno[1].slug}/"
    ]


def test_feeds_name_the_public_address(client, cuaderno):
    spanish, english = cuaderno
    rss = client.get("/cuadernos/feed.rss", HTTP_HOST="localhost").content.decode()
    assert f"<link>{PUBLIC}/cuadernos/{spanish.slug}/</link>" in rss
    atom = client.get("/en/cuadernos/feed.atom", HTTP_HOST="localhost").content.decode()
    assert f'href="{PUBLIC}/en/cuadernos/{english.slug}/"' in atom
    assert "localhost" not in rss + atom
