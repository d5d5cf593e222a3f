"""The header's search box in a real browser: suggestions by keyboard (ARIA combobox),
Enter without a suggestion opens the results page, filters and highlighted words."""

import re

import pytest

from tests.publications import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def expect():
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect


@pytest.fixture
def content(campus_home):
    from wagtail.models import Collection

    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    index = factories.cuadernos_index(campus_home)
    topic = factories.topic("diplomacia", "Diplomacia de ciudades")
    wanted = factories.publication(index, title="Diplomacia urbana para gobiernos locales",
                                   topics=[topic])
    factories.publication(index, title="Cooperación entre ciudades", topics=[topic])
    return wanted


def test_autocomplete_by_keyboard_and_results_page(page, content):
    check = expect()
    page.goto("/")
    box = page.get_by_role("combobox", name="Buscar en el campus")
    box.click()
    box.press_sequentially("diplo", delay=40)
    listbox = page.get_by_role("listbox", name="Sugerencias")
    check(listbox).to_be_visible()
    check(box).to_have_attribute("aria-expanded", "true")
    box.press("ArrowDown")
    first = listbox.get_by_role("option").first
    check(first).to_have_attribute("aria-selected", "true")
    check(box).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    box.press("Escape")
    check(listbox).to_be_hidden()
    box.press("ArrowDown")
    check(listbox).to_be_visible()
    box.press("ArrowDown")
    option_text = listbox.get_by_role("option").first.inner_text()
    box.press("Enter")  # opens the chosen suggestion
    page.wait_for_load_state()
    assert page.url.rstrip("/").split("/")[-1] in {"diplomacia", content.slug}, option_text

    page.goto("/")
    box = page.get_by_role("combobox", name="Buscar en el campus")
    box.fill("ciudades")
    box.press("Enter")  # no suggestion chosen: the form submits
    page.wait_for_url("**/buscar/?q=ciudades")
    check(page.locator(".search-results__count")).to_have_text(
        re.compile(r"\d+ resultados? para «ciudades»"))
    assert page.locator(".search-result mark").count() >= 1  # highlighted words
    page.get_by_role("link", name=re.compile(r"^Publicación \(\d+\)")).click()
    check(page).to_have_url(re.compile(r"tipo=publication"))
    assert page.js_errors == []


def test_the_search_works_without_javascript(browser, live_server, content):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/")
    page.get_by_role("searchbox", name="Buscar en el campus").fill("diplomacia")
    page.get_by_role("button", name="Buscar").first.click()
    page.wait_for_url("**/buscar/?q=diplomacia")
    assert "Diplomacia urbana para gobiernos locales" in page.content().replace(
        "<mark>", "").replace("</mark>", "")
    context.close()
