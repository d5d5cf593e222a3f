"""The reader's path in a real browser: find a Cuaderno with the filters, open it,
download its PDF, copy its citation and read it in English."""

import re

import pytest
from wagtail.models import Locale

from allas_site.core import page_tree
from allas_site.publications.models import EditionDownload
from tests.publications import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def expect():
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect


@pytest.fixture
def collection(campus_home):
    from wagtail.models import Collection

    # A transactional flush also drops Wagtail's root collection; documents need it.
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    index = factories.cuadernos_index(campus_home)
    english_index = page_tree.start_translation(index, Locale.objects.get(language_code="en"))
    english_index.save_revision().publish()
    redes = factories.topic("redes-de-ciudades", "Redes de ciudades", featured=True)
    wanted = factories.publication(
        index, title="Ciudades en red", topics=[redes], editions=("es", "en"),
        authors=("Mariana Ortega",),
    )
    english = page_tree.start_translation(wanted, Locale.objects.get(language_code="en"))
    english.title = "Cities in networks"
    english.save_revision().publish()
    for n in range(3):
        factories.publication(index, title=f"Otro cuaderno {n}")
    return wanted


def test_reader_finds_downloads_cites_and_switches_language(page, collection, screenshot_dir):
    page.goto("/cuadernos/")
    expect()(page.locator("h1")).to_have_text("Cuadernos")
    expect()(page.locator(".pub-results__count")).to_contain_text("4")
    page.get_by_role("link", name="Redes de ciudades").first.click()
    expect()(page.locator(".pub-results__count")).to_contain_text("1")
    page.get_by_role("link", name="Ciudades en red").click()
    expect()(page.locator("h1")).to_have_text("Ciudades en red")
    expect()(page.locator("#cita-apa")).to_contain_text("Ortega, M. (2024)")
    page.screenshot(path=str(screenshot_dir / "publication-desktop.png"), full_page=True)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF en Español").click()
    download = download_info.value
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert EditionDownload.objects.get(page=collection, language="es").count == 1

    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Copiar cita APA").click()
    expect()(page.locator("[data-copy-status]")).to_have_text("Cita copiada al portapapeles.")

    page.locator("header a[hreflang=en][lang=en]").first.click()
    expect()(page.locator("h1")).to_have_text("Cities in networks")
    assert page.js_errors == []


def test_phone_layout_and_untranslated_page(browser, live_server, collection, screenshot_dir):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844},
                                  locale="es-ES")
    phone = context.new_page()
    phone.goto("/cuadernos/")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"horizontal scroll on a phone: {width}px"
    phone.screenshot(path=str(screenshot_dir / "cuadernos-phone.png"), full_page=True)
    slug = factories.PublicationPage.objects.get(
        title="Otro cuaderno 0", alias_of__isnull=True).slug
    phone.goto(f"/cuadernos/{slug}/")
    # Untranslated into French: the switcher leads to its alias in the French tree,
    # which shows the Spanish text with a notice in French.
    phone.goto(phone.locator("a[hreflang=fr]").first.get_attribute("href"))
    expect()(phone).to_have_url(re.compile(rf"/fr/cuadernos/{slug}/$"))
    expect()(phone.locator(".notice--untranslated")).to_be_visible()
    expect()(phone.locator("h1[lang=es]")).to_be_visible()
    context.close()
