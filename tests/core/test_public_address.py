"""Links in e-mails and application pages come from BASE_URL, never the request's host;
the demo's Site row follows BASE_URL too (Wagtail's admin builds its links from it)."""

import io

import pytest
from django.core import mail
from django.utils import translation
from wagtail.models import Site

from allas_site.core.demo import load_home
from allas_site.core.navigation import absolute_url
from tests.publications import factories

pytestmark = pytest.mark.django_db

PUBLIC = "https://campus.example.org"


@pytest.fixture(autouse=True)
def _public_address(settings):
    settings.BASE_URL = PUBLIC
    # A request under /en/ leaves English active in this thread: restore Spanish.
    with translation.override("es"):
        yield


def test_absolute_url_of_paths_and_pages(home_page):
    assert absolute_url("/cafe/") == f"{PUBLIC}/cafe/"
    assert absolute_url(home_page) == f"{PUBLIC}/"
    # A page outside any site has no URL, and no half-built one either.
    assert absolute_url(home_page.get_parent()) is None


@pytest.mark.parametrize(
    ("base_url", "hostname", "port"),
    [
        ("https://campus.example.org", "campus.example.org", 443),
        ("http://127.0.0.1:8000", "127.0.0.1", 8000),
        ("https://campus.example.org:8443", "campus.example.org", 8443),
    ],
)
def test_load_home_gives_the_default_site_the_public_address(settings, base_url, hostname,
                                                             port):
    settings.BASE_URL = base_url
    load_home(io.StringIO())
    load_home(io.StringIO())  # idempotent
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == (hostname, port)
    assert Site.objects.count() == 1


def test_allauth_emails_link_to_the_public_address(client, home_page, learner):
    client.post("/cuentas/password/reset/", {"email": learner.email},
                HTTP_HOST="localhost")
    body = mail.outbox[-1].body
    assert f"{PUBLIC}/cuentas/password/reset/key/" in body
    assert "localhost" not in body and "testserver" not in body
    assert "campus.example.org" in body  # allauth's "site domain" signature


def test_signup_confirmation_email_links_to_the_public_address(client, home_page):
    client.post(
        "/en/cuentas/signup/",
        {"display_name": "Ana", "email": "ana@municipio.example",
         "password1": "Ciudades-al-mundo-2026", "password2": "Ciudades-al-mundo-2026",
         "accept_privacy": "on"},
        HTTP_HOST="127.0.0.1",
    )
    body = mail.outbox[-1].body
    assert f"{PUBLIC}/en/cuentas/confirm-email/" in body
    assert "127.0.0.1" not in body


def test_topic_canonical_is_on_the_public_address(client, home_page):
    topic = factories.topic("redes", "Redes de ciudades")
    html = client.get(topic.get_absolute_url(), HTTP_HOST="localhost").content.decode()
    assert f'<link rel="canonical" href="{PUBLIC}{topic.get_absolute_url()}">' in html
