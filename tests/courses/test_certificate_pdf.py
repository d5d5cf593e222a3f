"""The certificate PDF sets every name our members type, in the site's time zone."""

import io
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from courses import services
from courses.certificates import render_certificate_pdf
from courses.models import Certificate
from tests.courses.test_views import finish

pytestmark = pytest.mark.django_db

NAMES = [
    "Ana O’Brien",  # the apostrophe phone keyboards type
    "María-José “Pepa” Núñez – Secretaría…",
    "Łucja Wąsowska-Żak",  # Polish
    "Zoë Ødegård Çelik Ğökşen",  # Nordic, Turkish
    "Nguyễn Thị Thảo",  # Vietnamese
    "Γιώργος Παπαδόπουλος",  # Greek
    "Ивана Петрова",  # Cyrillic (Bulgaria, Serbia)
    "Jürgen Straße €",
]


@pytest.fixture
def certificate(learner, course):
    services.do_enroll(learner, course)
    finish(learner, course)
    return Certificate.objects.get()


def text_of(pdf):
    assert pdf.startswith(b"%PDF")
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize("name", NAMES)
def test_every_name_is_set_as_typed(certificate, name):
    certificate.learner_name = name
    certificate.course_title = "Diplomacia urbana: ¿qué sigue? — 2.ª edición"
    text = text_of(render_certificate_pdf(certificate, "http://testserver/certificados/X/"))
    squeezed = " ".join(text.split())
    assert name in squeezed
    assert "Diplomacia urbana: ¿qué sigue? — 2.ª edición" in squeezed


def test_code_url_hours_are_on_it(certificate):
    text = text_of(render_certificate_pdf(certificate, "http://testserver/certificados/X/"))
    for expected in (certificate.code, "http://testserver/certificados/X/", "12 horas"):
        assert expected in text


def test_control_characters_in_a_name_do_not_break_it(certificate):
    certificate.learner_name = "Ana\tO’Brien\n\x00"
    assert "Ana O’Brien" in text_of(render_certificate_pdf(certificate, "http://t/x/"))


def test_date_is_the_web_pages_date(certificate, settings):
    # 03:30 UTC on 1 December is still 30 November in Mexico City, as on the web page.
    settings.TIME_ZONE = "America/Mexico_City"
    certificate.issued_at = datetime(2026, 12, 1, 3, 30, tzinfo=UTC)
    text = text_of(render_certificate_pdf(certificate, "http://t/x/", language="es"))
    assert "30 de noviembre de 2026" in text
