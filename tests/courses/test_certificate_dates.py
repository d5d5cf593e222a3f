"""A certificate's web page and its PDF state the same date (the day in the site's
zone) and the same verification link (on the public address)."""

import io
import re
from datetime import UTC, date, datetime

import pytest
from django.utils import timezone, translation
from pypdf import PdfReader

from courses import services
from courses.models import Certificate
from tests.courses.test_views import finish

pytestmark = pytest.mark.django_db

PUBLIC = "https://campus.example.org"


@pytest.fixture(autouse=True)
def _language_restored():
    # A request under /en/ or /fr/ leaves its language active in this thread.
    with translation.override("es"):
        yield


@pytest.fixture
def certificate(learner, course, settings):
    settings.TIME_ZONE = "America/Mexico_City"
    settings.BASE_URL = PUBLIC
    services.do_enroll(learner, course)
    finish(learner, course)
    certificate = Certificate.objects.get()
    # 03:00 UTC on 1 December is still 30 November (21:00) in Mexico City.
    certificate.issued_at = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
    certificate.save(update_fields=["issued_at"])
    return certificate


def page_date(client, url):
    html = client.get(url).content.decode()
    return re.search(r"<dt>[^<]+</dt><dd>([^<]+)</dd>\s*<dt>[^<]+</dt><dd><code>", html).group(1)


def pdf_text(client, url):
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_issued_on_is_the_day_in_the_sites_zone(certificate):
    assert certificate.issued_on == date(2026, 11, 30)
    # Whatever zone happens to be active (a member's own, one day), the date stays.
    with timezone.override("Asia/Tokyo"):
        assert certificate.issued_on == date(2026, 11, 30)


@pytest.mark.parametrize(
    ("prefix", "shown"),
    [("", "30 de noviembre de 2026"), ("/en", "Nov. 30, 2026"), ("/fr", "30 novembre 2026")],
)
def test_page_and_pdf_state_the_same_date_and_link(client, learner, certificate, prefix, shown):
    client.force_login(learner)
    url = f"{prefix}/certificados/{certificate.code}/"
    with timezone.override("UTC"):  # a zone other than the site's is active: no effect
        assert page_date(client, url) == shown
        text = pdf_text(client, url + "pdf/")
    assert shown in text
    assert f"{PUBLIC}{url}" in text
    assert f'<a href="{PUBLIC}{url}">' in client.get(url).content.decode()
