"""A campaign in a real browser: an anonymous visitor signs with the form, confirms by
the link in the e-mail, an editor approves the signature in the Wagtail admin, and the
signature shows in the public list, on the network map and in the counter."""

import re

import pytest

from tests import factories as people
from tests.participation.campaigns import factories
from tests.publications import factories as publications

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ORGANISATION = "Fundación Ciudades Abiertas"


def expect():
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect


@pytest.fixture
def campaign(campus_home):
    publications.partner("montevideo", "Montevideo", city="Montevideo", country="UY",
                         latitude=-34.9011, longitude=-56.1645)
    publications.partner("lyon", "Lyon", city="Lyon", latitude=45.764, longitude=4.8357)
    index = factories.index(campus_home)
    return factories.campaign(index, title="Acción internacional local: ni un paso atrás")


def test_sign_confirm_approve_and_show(page, campaign, live_server, mailoutbox,
                                       screenshot_dir):
    check = expect()
    page.goto(f"/campanas/{campaign.slug}/")
    check(page.locator("[data-campaign-count]")).to_have_text("0")
    form = page.locator("#firmar form")
    form.locator("#id_organisation").fill(ORGANISATION)
    form.locator("#id_signatory_type").select_option("civil_society")
    form.locator("#id_city").fill("Montevideo")
    form.locator("#id_country").select_option("UY")
    form.locator("#id_representative_name").fill("Lucía Techera")
    form.locator("#id_representative_role").fill("Directora de Cooperación")
    form.locator("#id_email").fill("lucia@canelones.example")
    form.get_by_role("checkbox", name=re.compile("Firmo en nombre")).check()
    form.get_by_role("button", name="Firmar").click()
    check(page.get_by_text("abre el enlace para confirmar la firma")).to_be_visible()

    # The live server runs in this process: its outbox is ours.
    assert len(mailoutbox) == 1, [m.subject for m in mailoutbox]
    link = re.search(r"https?://\S+/confirmar/\?clave=\S+", mailoutbox[0].body).group(0)
    assert link.startswith(live_server.url)
    page.goto(link)
    page.get_by_role("button", name="Confirmar mi firma").click()
    check(page.get_by_text("Firma confirmada.")).to_be_visible()
    check(page.locator("[data-campaign-count]")).to_have_text("0")  # not public yet

    editor = people.UserFactory(is_superuser=True, is_staff=True, email="editora@allas.example")
    page.goto("/cuentas/login/")
    login = page.locator("main form").filter(has=page.locator("input[name=password]"))
    login.locator("input[name=login]").fill(editor.email)
    login.locator("input[name=password]").fill(people.PASSWORD)
    login.locator("button[type=submit]").click()
    page.wait_for_url("**/cuentas/perfil/")
    page.goto(f"/admin/campanas/{campaign.pk}/firmas/")
    page.get_by_label(ORGANISATION).check()
    page.get_by_role("button", name="Aprobar las elegidas").click()
    check(page.get_by_text("Firmas aprobadas: 1.")).to_be_visible()
    assert "ya aparece en la lista pública" in mailoutbox[-1].body

    page.goto(f"/campanas/{campaign.slug}/firmantes/")
    check(page.locator("[data-campaign-count]")).to_have_text("1")
    check(page.locator(".signatory-list")).to_contain_text(ORGANISATION)
    check(page.locator(".signatory-list")).not_to_contain_text("lucia@canelones.example")
    # On the map: counted on Montevideo (a partner city), highlighted; Lyon is not.
    signed = page.locator(".network-map__city--signed")
    check(signed).to_have_count(1)
    check(signed).to_have_attribute("aria-label", "Montevideo: 1 firmante de esta ciudad")
    lyon = page.locator('.network-map__city[aria-label="Lyon: todavía no ha firmado"]')
    check(lyon).to_have_count(1)
    page.screenshot(path=str(screenshot_dir / "campaign-signatories.png"), full_page=True)
    badge = page.request.get(f"/campanas/{campaign.slug}/insignia.svg")
    assert badge.ok and "1 firma" in badge.text()
    assert page.js_errors == []
