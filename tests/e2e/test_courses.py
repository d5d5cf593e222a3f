"""A learner goes from the catalogue to a verified certificate in a real browser."""

import re

import pytest

from courses.models import Certificate
from tests import factories as people
from tests.courses import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def expect():
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect


def test_catalogue_to_verified_certificate(page, campus_home, live_server, screenshot_dir):
    check = expect()
    catalogue = factories.catalogue(campus_home)
    course = factories.course(catalogue, title="Redes de ciudades", lessons=2)
    learner = people.learner(email="sofia@quito.example", display_name="Sofía Paredes")

    page.goto("/cuentas/login/")
    form = page.locator("main form").filter(has=page.locator("input[name=password]"))
    form.locator("input[name=login]").fill(learner.email)
    form.locator("input[name=password]").fill(people.PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/cuentas/perfil/")

    page.goto("/cursos/")
    check(page.locator("h1")).to_have_text("Cursos")
    page.get_by_role("link", name="Redes de ciudades").click()
    page.wait_for_url(f"**{course.url}")
    page.screenshot(path=str(screenshot_dir / "course.png"), full_page=True)
    page.get_by_role("button", name="Inscribirme").click()

    # Enrolling opens the first lesson; marking it completed moves to the quiz.
    page.wait_for_url(re.compile(r"/leccion-1/$"))
    check(page.locator("h1")).to_have_text("Lección 1")
    page.get_by_role("button", name="Marcar como completada").click()
    page.wait_for_url(re.compile(r"/leccion-2/$"))
    check(page.locator(".lesson-aside .is-done")).to_have_count(1)

    # A wrong answer first: feedback, one attempt left.
    page.get_by_label("Cooperación solo entre Estados").check()
    page.get_by_label("Verdadero").check()
    page.get_by_role("button", name="Enviar respuestas").click()
    check(page.locator(".quiz-result")).to_contain_text("No aprobado: 50 %")
    check(page.locator(".quiz-result")).to_contain_text("esa es la cooperación bilateral")
    page.screenshot(path=str(screenshot_dir / "quiz-feedback.png"), full_page=True)

    page.get_by_label("Cooperación entre gobiernos locales").check()
    page.get_by_label("Verdadero").check()
    page.get_by_role("button", name="Enviar respuestas").click()
    check(page.locator(".quiz-result")).to_contain_text("Aprobado: 100 %")

    page.goto(course.url)
    page.get_by_role("link", name="Ver tu certificado").click()
    certificate = Certificate.objects.get()
    page.wait_for_url(f"**/certificados/{certificate.code}/")
    check(page.locator(".flash--success")).to_contain_text("Certificado válido")
    check(page.locator("main")).to_contain_text("Sofía Paredes")
    page.screenshot(path=str(screenshot_dir / "certificate.png"), full_page=True)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Descargar en PDF").click()
    assert download_info.value.suggested_filename == f"certificado-{certificate.code}.pdf"

    page.goto("/mi-aprendizaje/")
    check(page.locator("main")).to_contain_text(certificate.code)

    # Anyone can verify it, signed in or not.
    page.context.clear_cookies()
    page.goto(f"/certificados/{certificate.code}/")
    check(page.locator(".flash--success")).to_contain_text("Certificado válido")
    check(page.get_by_role("link", name="Descargar en PDF")).to_have_count(0)
    assert page.js_errors == []
