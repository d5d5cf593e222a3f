"""A learner who attended a webinar opens its archive and downloads the certificate."""

from datetime import timedelta

import pytest

from courses.models import Certificate
from tests import factories as people
from tests.webinars import factories
from tests.webinars.live_support import session_cookie
from webinars import services
from webinars.models import Question, QuestionStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_archive_to_downloaded_certificate(page, campus_home, live_server, screenshot_dir):
    from playwright.sync_api import expect

    agenda = factories.agenda(campus_home)
    event = factories.webinar(
        agenda, title="Ciudades que cooperan", starts_in=-timedelta(days=3),
        recording_embed_url=f"{live_server.url}/static/webinars/grabacion-demo.html",
        chapters=[("chapter", {"seconds": 0, "title": "Bienvenida"}),
                  ("chapter", {"seconds": 600, "title": "Preguntas"})],
    )
    learner = people.learner(display_name="Sofía Paredes")
    services.do_import_registration(learner, event, created_at=event.starts_at,
                                    attended_at=event.starts_at + timedelta(minutes=2))
    Question.objects.create(webinar=event, webinar_key=event.translation_key, author=learner,
                            text="¿Cómo empezar?", status=QuestionStatus.ANSWERED, votes=3)
    name, value = session_cookie(learner).split("=", 1)
    page.context.add_cookies([{"name": name, "value": value, "url": live_server.url}])

    page.goto(event.url)
    archive = page.locator("#archivo")
    expect(archive.locator("iframe")).to_have_attribute(
        "title", "Grabación de «Ciudades que cooperan»")
    # The demo player takes no seek commands: the chapters stay a list with times.
    expect(archive.locator(".chapter-list__item")).to_have_count(2)
    expect(archive.locator(".chapter-list__time").nth(1)).to_have_text("10:00")
    expect(archive.get_by_text("¿Cómo empezar?")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "webinar-archive.png"), full_page=True)

    page.get_by_role("button", name="Obtener mi certificado").click()
    certificate = Certificate.objects.get()
    page.wait_for_url(f"**/certificados/{certificate.code}/")
    expect(page.get_by_text("Certificado válido.")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Descargar en PDF").click()
    assert download.value.suggested_filename == f"certificado-{certificate.code}.pdf"

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(event.url)
    expect(page.get_by_role("link", name="Descargar mi certificado (PDF)")).to_be_visible()
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert page.js_errors == []
