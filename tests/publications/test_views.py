import pytest
from django.urls import reverse
from wagtail.models import Locale

from allas_site.core import page_tree
from allas_site.publications.models import EditionDownload
from tests.publications import factories

pytestmark = pytest.mark.django_db


def test_index_lists_published_publications_with_counts(client, index):
    published = factories.publication(index, title="Ciudades en red")
    factories.publication(index, title="Borrador secreto", publish=False)
    response = client.get("/cuadernos/")
    assert response.status_code == 200
    html = response.content.decode()
    assert published.title in html and "Borrador secreto" not in html
    assert response.context["total"] == 1


def test_index_filters_by_topic_type_language_and_year(client, index):
    redes = factories.topic("redes", "Redes")
    a = factories.publication(index, title="Alfa", topics=[redes], editions=("es", "en"))
    b = factories.publication(index, title="Beta", publication_type="article")
    import datetime

    c = factories.publication(index, title="Gamma", date=datetime.date(2019, 5, 1))

    def titles(query):
        response = client.get("/cuadernos/" + query)
        assert response.status_code == 200
        return {p.title for p in response.context["publications"]}

    assert titles("?tema=redes") == {a.title}
    assert titles("?tipo=article") == {b.title}
    assert titles("?idioma=en") == {a.title}
    assert titles("?anio=2019") == {c.title}
    assert titles("?tipo=cuaderno&orden=numero") == {a.title, c.title}
    facets = client.get("/cuadernos/?tema=redes&orden=recientes").context["facets"]
    assert {f.value: f.count for f in facets["tipo"]} == {"cuaderno": 1}


@pytest.mark.parametrize(
    "query",
    ["?tipo=nada", "?anio=abc", "?idioma=xx", "?tema=%%", "?pagina=999", "?pagina=-1",
     "?orden=raro", "?tema=no-existe"],
)
def test_bad_filters_give_a_normal_page(client, index, query):
    factories.publication(index)
    assert client.get("/cuadernos/" + query).status_code == 200


def test_a_nul_in_a_filter_is_a_400_with_a_reason(client, index):
    # Refused before the view for every URL (request_guard): PostgreSQL rejects NUL.
    response = client.get("/cuadernos/?tema=%00%%")
    assert response.status_code == 400
    assert "nulo" in response.content.decode()


def test_detail_shows_citation_downloads_and_cafe_slot(client, index):
    topic = factories.topic()
    page = factories.publication(index, title="Ciudades en red", topics=[topic],
                                 authors=("Mariana Ortega",), editions=("es", "en"))
    response = client.get(page.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ortega, M. (2024). Ciudades en red" in html
    assert "@book{" in html
    assert reverse("publications:download", args=[page.pk, "en"]) in html
    assert 'rel="canonical"' in html and 'property="og:title"' in html


def test_download_counts_then_serves_the_pdf(client, index):
    page = factories.publication(index, editions=("es",))
    url = reverse("publications:download", args=[page.pk, "es"])
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert body.startswith(b"%PDF-")
    assert EditionDownload.objects.get(page=page, language="es").count == 2


@pytest.mark.parametrize("language", ["en", "xx"])
def test_download_of_a_missing_edition_is_404(client, index, language):
    page = factories.publication(index, editions=("es",))
    assert client.get(reverse("publications:download", args=[page.pk, language])).status_code \
        == 404


def test_download_of_a_draft_is_404(client, index):
    page = factories.publication(index, publish=False)
    assert client.get(reverse("publications:download", args=[page.pk, "es"])).status_code == 404


def test_citation_downloads(client, index):
    page = factories.publication(index, title="Ciudades en red", authors=("Ana Pérez",))
    bib = client.get(reverse("publications:citation", args=[page.pk, "bib"]))
    assert bib.status_code == 200 and b"@book{" in bib.content
    assert "attachment" in bib["Content-Disposition"]
    apa = client.get(reverse("publications:citation", args=[page.pk, "txt"]))
    assert "Pérez, A." in apa.content.decode()
    assert client.get(f"/cuadernos/citar/{page.pk}.exe").status_code == 404


def test_topic_page_lists_tagged_publications_and_404s_on_unknown(client, index):
    topic = factories.topic("redes", "Redes de ciudades")
    tagged = factories.publication(index, title="Con tema", topics=[topic])
    factories.publication(index, title="Sin tema")
    response = client.get("/temas/redes/")
    assert response.status_code == 200
    assert [p.title for p in response.context["publications"]] == [tagged.title]
    assert client.get("/temas/no-existe/").status_code == 404
    assert client.get("/temas/MAL%20slug/").status_code == 404


def test_partner_directory_filters_and_detail(client, index, expert):
    lyon = factories.partner("lyon", "Lyon", country="FR", partner_type="city")
    factories.partner("flacma", "FLACMA", country="EC", partner_type="network")
    lyon.people.add(expert)
    lyon.save()
    factories.publication(index, title="De Lyon", partners=[lyon])
    response = client.get("/socios/?pais=FR")
    assert [p.name for p in response.context["partners"]] == ["Lyon"]
    assert [p.name for p in client.get("/socios/?tipo=network").context["partners"]] == [
        "FLACMA"
    ]
    assert client.get("/socios/?pais=ZZ&tipo=x&pagina=50").status_code == 200
    detail = client.get("/socios/lyon/")
    assert "De Lyon" in detail.content.decode()
    assert expert.public_name in detail.content.decode()
    assert client.get("/socios/nadie/").status_code == 404


def test_translated_publication_and_language_switcher(client, index, english_index):
    page = factories.publication(index, title="Ciudades en red")
    untranslated = factories.publication(index, title="Solo en español")
    english = page_tree.start_translation(page, Locale.objects.get(language_code="en"))
    english.title = "Cities in networks"
    english.save_revision().publish()
    response = client.get(english.url)
    assert response.status_code == 200 and "Cities in networks" in response.content.decode()
    # The switcher on the Spanish page leads to the English translation...
    html = client.get(page.url).content.decode()
    assert english.url in html
    # ...and, for a page without translation, to the same page in the French tree
    # (an alias showing the Spanish text with a notice in French).
    html = client.get(untranslated.url).content.decode()
    french = f"/fr/cuadernos/{untranslated.slug}/"
    assert french in html
    assert "notice--untranslated" in client.get(french).content.decode()
    # A page outside the synchronised tree still gets a polite page in that language.
    not_translated = f"/fr/sin-traducir/{untranslated.pk}/"
    polite = client.get(not_translated)
    assert polite.status_code == 200
    assert polite.context["available"][0]["url"] == untranslated.url
    assert client.get("/fr/sin-traducir/999999/").status_code == 404


def test_feeds_sitemap_robots_and_api(client, index, english_index):
    page = factories.publication(index, title="Ciudades en red")
    english = page_tree.start_translation(page, Locale.objects.get(language_code="en"))
    english.title = "Cities in networks"
    english.save_revision().publish()
    draft = factories.publication(index, title="Borrador", publish=False)

    rss = client.get("/cuadernos/feed.rss").content.decode()
    assert "Ciudades en red" in rss and "Cities in networks" not in rss
    atom = client.get("/en/cuadernos/feed.atom").content.decode()
    assert "Cities in networks" in atom and "Ciudades en red" not in atom

    sitemap = client.get("/sitemap.xml").content.decode()
    assert 'hreflang="en"' in sitemap and 'hreflang="x-default"' in sitemap
    assert draft.slug not in sitemap
    assert "Sitemap:" in client.get("/robots.txt").content.decode()

    api = client.get("/api/v2/pages/?type=publications.PublicationPage&fields=series_number")
    assert api.status_code == 200
    ids = {item["id"] for item in api.json()["items"]}
    assert page.pk in ids and draft.pk not in ids
    assert client.get("/api/v2/pages/", HTTP_ACCEPT="text/html").status_code == 200
    assert client.get("/api/v2/documents/").status_code == 200
    assert client.get("/api/v2/images/").status_code == 200


def test_home_sections_show_latest_topics_and_partners(client, index):
    factories.topic("redes", "Redes de ciudades", featured=True)
    factories.partner("lyon", "Lyon")
    factories.publication(index, title="Ciudades en red")
    html = client.get("/").content.decode()
    assert "Ciudades en red" in html and "Redes de ciudades" in html and "Lyon" in html


def test_messages_and_standard_pages_render(client, home_page):
    from allas_site.publications.models import MessagesPage, StandardPage

    messages = MessagesPage(
        title="Los mensajes", slug="mensajes",
        messages=[("message", {"number": n, "title": f"Mensaje {n}", "text": "<p>t</p>",
                               "related": []}) for n in range(1, 13)],
    )
    home_page.add_child(instance=messages)
    messages.save_revision().publish()
    about = StandardPage(title="Sobre AL-LAs", slug="sobre-allas",
                         body=[("paragraph", "<p>Hola</p>")])
    home_page.add_child(instance=about)
    about.save_revision().publish()
    html = client.get("/mensajes/").content.decode()
    assert html.count('class="message"') == 12 and html.count("<h1") == 1
    assert client.get("/sobre-allas/").status_code == 200
