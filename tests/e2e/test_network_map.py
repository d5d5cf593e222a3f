"""The network map in a real browser: a visitor tabs to a city, reads its name, presses
Enter and lands on the partner's page; on a phone the map fits the screen."""

import re

import pytest

from tests.publications import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CITIES = [
    # slug, name, city, country, latitude, longitude
    ("ciudad-de-mexico", "Ciudad de México", "Ciudad de México", "MX", 19.4326, -99.1332),
    ("mercociudades", "Mercociudades", "Montevideo", "UY", -34.9011, -56.1645),
    ("montevideo", "Montevideo", "Montevideo", "UY", -34.9011, -56.1645),
    ("lyon", "Lyon", "Lyon", "FR", 45.7640, 4.8357),
]


def expect():
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect


@pytest.fixture
def network(campus_home):
    for slug, name, city, country, latitude, longitude in CITIES:
        factories.partner(slug, name, city=city, country=country, latitude=latitude,
                          longitude=longitude)
    return campus_home


def focused_city(page):
    return page.evaluate(
        "() => document.activeElement.matches('.network-map__city')"
        " ? document.activeElement.getAttribute('aria-label') : null"
    )


def test_keyboard_reaches_a_city_names_it_and_opens_its_page(page, network, screenshot_dir):
    page.goto("/")
    for _press in range(60):  # through the header and the hero's text to the map
        page.keyboard.press("Tab")
        if focused_city(page):
            break
    # West to east: Mexico City is the first city on the map.
    assert focused_city(page) == "Ciudad de México"
    label = page.locator(".network-map__city:focus .network-map__label")
    expect()(label).to_have_text("Ciudad de México")
    expect()(label).to_have_css("opacity", "1")
    page.keyboard.press("Escape")  # the name can be dismissed without moving (WCAG 1.4.13)
    expect()(label).to_have_css("opacity", "0")
    page.keyboard.press("Tab")
    assert focused_city(page) in {"Mercociudades (Montevideo)", "Montevideo"}
    expect()(page.locator(".network-map__city:focus .network-map__label")).to_have_css(
        "opacity", "1"
    )
    page.screenshot(path=str(screenshot_dir / "network-map-home-focus.png"))
    page.keyboard.press("Enter")
    expect()(page).to_have_url(re.compile(r"/socios/(mercociudades|montevideo)/$"))
    expect()(page.locator("h1")).to_have_text(re.compile("Mercociudades|Montevideo"))
    assert page.js_errors == []


def test_directory_map_is_filtered_and_fits_a_phone(browser, live_server, network,
                                                    screenshot_dir):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844},
                                  locale="es-ES", java_script_enabled=False)
    phone = context.new_page()
    for url in ["/", "/socios/"]:
        phone.goto(url)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{url}: horizontal scroll on a phone: {width}px"
        expect()(phone.locator(".network-map__svg")).to_be_visible()
        expect()(phone.locator(".network-map__city")).to_have_count(len(CITIES))
    phone.screenshot(path=str(screenshot_dir / "network-map-socios-phone.png"), full_page=True)
    phone.goto("/socios/?pais=FR")
    expect()(phone.locator(".network-map__city")).to_have_count(1)
    phone.locator(".network-map__city").focus()
    phone.keyboard.press("Enter")  # a plain link: no JavaScript needed
    expect()(phone.locator("h1")).to_have_text("Lyon")
    context.close()
