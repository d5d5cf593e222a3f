"""Two browsers in one webinar's live room: each sees the other's questions, votes and
the moderator's actions live; polls show their results after voting. Served by uvicorn
(WebSockets) on the test database."""

import pytest

from tests import factories
from tests.community.live import server
from tests.e2e.conftest import CHROMIUM_ARGS, SCREENSHOT_DIR, TIMEOUT_MS  # noqa: F401
from tests.e2e.test_accessibility import AXE_RUN, AXE_TAGS, FAILING_IMPACTS, axe_source
from tests.e2e.test_cafe import open_as
from tests.webinars.live_support import make_webinar, register
from webinars.models import Registration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def expect():
    from playwright.sync_api import expect as playwright_expect

    # The suite's timeout, not Playwright's 5 s: a server's first answers (cold
    # templates, pools, Redis scripts) are slow on a busy CI machine.
    playwright_expect.set_options(timeout=TIMEOUT_MS)
    return playwright_expect


@pytest.fixture
def asgi_port(campus_home):
    with server() as port:
        yield port


def serious_axe_violations(page):
    page.evaluate(axe_source())
    return [f"[{v['impact']}] {v['id']}: {v['help']} {v['targets'][:3]}"
            for v in page.evaluate(AXE_RUN, AXE_TAGS) if v["impact"] in FAILING_IMPACTS]


def test_two_browsers_share_the_live_room(browser, asgi_port, screenshot_dir):
    check = expect()
    moderator = factories.learner(display_name="Marta Moderadora")
    ana = factories.learner(display_name="Ana Andrade")
    webinar = make_webinar(title="Ciudades y cooperación", moderator=moderator,
                           join_url="https://meet.example.org/allas")
    register(ana, webinar)
    room = webinar.url + "sala/"
    contexts = []
    try:
        context_m, page_m = open_as(browser, asgi_port, moderator, {"width": 1366, "height": 900})
        context_a, page_a = open_as(browser, asgi_port, ana, {"width": 390, "height": 844})
        contexts = [context_m, context_a]
        for page in (page_m, page_a):
            page.goto(room)
            check(page.locator("[data-webinar-room][data-connected='1']")).to_be_attached()
        check(page_a.locator("[data-presence]")).to_contain_text("2")

        # Ana asks (over the socket, no reload); the moderator sees it arrive.
        page_a.get_by_label("Tu pregunta").fill("¿Cómo empezó el hermanamiento con Lyon?")
        page_a.get_by_role("button", name="Enviar pregunta").click()
        check(page_m.locator("[data-questions]")).to_contain_text("hermanamiento con Lyon")
        check(page_a.get_by_label("Tu pregunta")).to_have_value("")
        check(page_a.locator("[data-announce]")).to_have_text("Pregunta enviada.")

        # The moderator asks too, then supports Ana's with the keyboard: Ana sees one vote
        # and her question moves to the top.
        page_m.get_by_label("Tu pregunta").fill("¿Qué apoyo da la red a los municipios pequeños?")
        page_m.get_by_label("Tu pregunta").press("Tab")
        page_m.keyboard.press("Enter")
        check(page_a.locator("[data-questions] > li")).to_have_count(2)
        anas = page_m.locator("[data-questions] > li", has_text="Lyon")
        anas.get_by_role("button", name="Apoyar esta pregunta").focus()
        page_m.keyboard.press("Enter")
        check(anas.get_by_role("button", name="Apoyar esta pregunta")).to_have_attribute(
            "aria-pressed", "true")
        first_for_ana = page_a.locator("[data-questions] > li").first
        check(first_for_ana).to_contain_text("Lyon")
        check(first_for_ana.locator("[data-slot=votes]")).to_have_text("1")

        # Ana supports the other question; both now have one vote, the older first.
        other = page_a.locator("[data-questions] > li", has_text="municipios")
        other.get_by_role("button", name="Apoyar esta pregunta").click()
        check(page_m.locator("[data-questions] > li", has_text="municipios")
              .locator("[data-slot=votes]")).to_have_text("1")

        # The moderator highlights the second one and hides it later: Ana sees both.
        theirs = page_m.locator("[data-questions] > li", has_text="municipios")
        theirs.get_by_role("button", name="Destacar").click()
        check(page_a.locator("[data-questions] > li").first).to_contain_text("municipios")
        check(page_a.locator("[data-questions] > li").first).to_contain_text("Destacada")
        theirs.get_by_role("button", name="Ocultar").click()
        check(page_a.locator("[data-questions] > li")).to_have_count(1)
        check(theirs.get_by_role("button", name="Mostrar")).to_be_visible()

        # A poll: Ana votes and then sees the results; the moderator closes it.
        page_m.get_by_text("Abrir una encuesta").click()
        page_m.get_by_label("Pregunta", exact=True).fill("¿Tu ciudad tiene oficina internacional?")
        page_m.get_by_label("Opciones").fill("Sí\nNo\nEn camino")
        page_m.get_by_role("button", name="Abrir la encuesta").click()
        poll_a = page_a.locator("[data-polls] .room-poll").first
        check(poll_a).to_contain_text("oficina internacional")
        check(poll_a.locator("[data-slot=results]")).to_be_hidden()
        poll_a.get_by_label("En camino").check()
        poll_a.get_by_role("button", name="Votar").click()
        check(poll_a.locator("[data-slot=results]")).to_be_visible()
        check(poll_a.locator("[data-slot=total]")).to_have_text("1")
        poll_m = page_m.locator("[data-polls] .room-poll").first
        check(poll_m.locator("[data-slot=total]")).to_have_text("1")
        poll_m.get_by_role("button", name="Cerrar la encuesta").click()
        check(poll_a.get_by_text("Encuesta cerrada")).to_be_visible()

        assert Registration.objects.get(user=ana).attended_at is not None
        # WCAG 2.2 AA with everything on screen: questions, moderation, a closed poll.
        assert serious_axe_violations(page_m) == []
        assert serious_axe_violations(page_a) == []
        page_m.screenshot(path=str(screenshot_dir / "webinar-room-desktop.png"), full_page=True)
        page_a.screenshot(path=str(screenshot_dir / "webinar-room-phone.png"), full_page=True)
        # Nothing wider than the phone's screen.
        assert page_a.evaluate("document.documentElement.scrollWidth") <= 390
        assert page_m.js_errors == [] and page_a.js_errors == []
    finally:
        for context in contexts:
            context.close()


def test_the_speaker_view_follows_the_room(browser, asgi_port):
    check = expect()
    speaker = factories.expert(display_name="Pilar Ponente")
    ana = factories.learner(display_name="Ana Andrade")
    webinar = make_webinar(speakers=[speaker])
    register(ana, webinar)
    contexts = []
    try:
        context_s, page_s = open_as(browser, asgi_port, speaker, {"width": 1366, "height": 900})
        context_a, page_a = open_as(browser, asgi_port, ana, {"width": 390, "height": 844})
        contexts = [context_s, context_a]
        page_s.goto(webinar.url + "sala/?vista=ponente")
        page_a.goto(webinar.url + "sala/")
        for page in (page_s, page_a):
            check(page.locator("[data-webinar-room][data-connected='1']")).to_be_attached()
        page_a.get_by_label("Tu pregunta").fill("¿Qué ciudades se suman este año?")
        page_a.get_by_role("button", name="Enviar pregunta").click()
        question = page_s.locator("[data-questions] > li", has_text="se suman este año")
        check(question).to_be_visible()
        assert question.get_by_role("button").count() == 0  # a clean view: nothing to press
        font = question.locator(".room-question__text").evaluate(
            "el => parseFloat(getComputedStyle(el).fontSize)")
        assert font >= 22
        assert serious_axe_violations(page_s) == []
        assert page_s.js_errors == [] and page_a.js_errors == []
    finally:
        for context in contexts:
            context.close()
