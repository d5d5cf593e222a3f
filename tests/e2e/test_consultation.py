"""A consultation in the browser: members of three sectors answer through the form, and
an editor watching the results page sees each sector's column appear live (no reload)
once it reaches five responses. Served by uvicorn (WebSockets) on the test database."""

import pytest

from participation.consultations import services
from tests import factories
from tests.community.live import server
from tests.e2e.test_cafe import open_as
from tests.e2e.test_webinar_room import expect
from tests.participation.consultations import factories as consultation_factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECTORS = {"academia": "Academia", "civil_society": "Sociedad civil",
           "local_government": "Gobierno local"}


@pytest.fixture
def asgi_port(campus_home):
    with server() as port:
        yield port


def test_three_sectors_answer_and_the_results_appear_live(browser, asgi_port, campus_home,
                                                          screenshot_dir):
    check = expect()
    index = consultation_factories.index(campus_home)
    page = consultation_factories.consultation(index, title="¿Qué agenda para Quito?")
    # Four earlier responses per sector: each sector is one answer short of its own column.
    for sector in SECTORS:
        for _n in range(4):
            services.do_save_response(
                factories.learner(), page, consultation_factories.complete_answers(page),
                submit=True, sector=sector, city="Quito")
    editor = factories.editor()
    contexts = []
    try:
        context_e, watcher = open_as(browser, asgi_port, editor)
        contexts.append(context_e)
        watcher.goto(page.url + "resultados/")
        table = watcher.locator(".results__table").first
        check(table.locator("thead")).to_contain_text("Otros sectores")
        check(watcher.locator(".results__total")).to_contain_text("12")
        phone = {"width": 390, "height": 844}
        for label in SECTORS.values():
            member = factories.learner()
            context_m, answering = open_as(browser, asgi_port, member, phone)
            contexts.append(context_m)
            answering.goto(page.url)
            answering.get_by_role("link", name="Participar").click()
            answering.get_by_label(label, exact=True).check()
            answering.get_by_label("Ciudad").fill("Quito")
            answering.get_by_label("Inversión").check()
            answering.get_by_label("4", exact=True).check()
            answering.get_by_role("button", name="Enviar mis respuestas").click()
            check(answering.locator(".messages, [role=status], .message").first).to_contain_text(
                "tus respuestas se han enviado")
            assert answering.js_errors == []
            # The watcher's table gains the sector's column without a reload.
            check(table.locator("thead")).to_contain_text(label)
        check(watcher.locator(".results__total")).to_contain_text("15")
        check(table.locator("thead")).not_to_contain_text("Otros sectores")
        assert watcher.js_errors == []
        svg = watcher.locator("svg.chart").first
        check(svg.locator("title").first).to_have_text("¿Prioridad?")
        watcher.screenshot(path=screenshot_dir / "consultation-results.png", full_page=True)
    finally:
        for context in contexts:
            context.close()
