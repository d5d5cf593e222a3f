"""The public side: the campaign page and its form, the e-mail links, the list of
signatories, the map and the badge, in the four languages."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale

from allas_site.core import page_tree
from allas_site.partners.models import Partner
from participation.campaigns import services
from participation.campaigns.models import Signature, SignatureStatus
from tests.participation.campaigns import factories


def _form(number=1, **overrides):
    return {**factories.signer(number), "consent": "on", **overrides}


@pytest.mark.parametrize("prefix", ["/", "/en/", "/fr/", "/pt/"])
def test_the_campaign_in_every_language(client, campaign, prefix):
    for path in ("", "firmantes/"):
        response = client.get(f"{prefix}campanas/{campaign.slug}/{path}")
        assert response.status_code == 200, (prefix, path)
        assert f'lang="{prefix.strip("/") or "es"}"' in response.content.decode()[:300]
    assert client.get(f"{prefix}campanas/").status_code == 200


def test_signing_through_the_form_and_the_email_link(client, campaign, run_on_commit):
    url = f"/campanas/{campaign.slug}/firmar/"
    with run_on_commit():
        response = client.post(url, _form(1))
    assert response.status_code == 302
    signature = Signature.objects.get()
    assert signature.status == SignatureStatus.PENDING and signature.language == "es"
    link = re.search(r"https?://\S+/confirmar/\?clave=\S+", mail.outbox[0].body).group(0)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    page = client.get(path)
    assert page.status_code == 200, page.content.decode()[-2500:]
    assert "Confirmar mi firma" in page.content.decode()
    assert Signature.objects.get().status == SignatureStatus.PENDING  # a GET changes nothing
    assert client.post(path).status_code == 302
    assert Signature.objects.get().status == SignatureStatus.CONFIRMED
    assert client.get(f"/campanas/{campaign.slug}/confirmar/?clave=basura").status_code == 404
    assert client.get(f"/campanas/{campaign.slug}/confirmar/").status_code == 404


@pytest.mark.parametrize("overrides", [
    {"email": "no-es-correo"}, {"organisation": "x" * 500}, {"country": "XX"},
    {"consent": ""}, {"signatory_type": "rey"}, {"city": "   "},
])
def test_bad_form_input_is_a_message_and_nothing_changes(client, campaign, overrides):
    response = client.post(f"/campanas/{campaign.slug}/firmar/", _form(2, **overrides))
    assert response.status_code == 400
    (field,) = overrides
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Signature.objects.exists()


def test_duplicates_closed_campaigns_bots_and_floods(client, campaign, campaign_index,
                                                    settings):
    url = f"/campanas/{campaign.slug}/firmar/"
    client.post(url, _form(3))
    again = client.post(url, _form(3, organisation="Otra"))
    assert again.status_code == 409 and "ya han firmado" in again.content.decode()
    bot = client.post(url, {**_form(4), "website": "http://spam.example"})
    assert bot.status_code == 302
    assert Signature.objects.count() == 1
    from datetime import timedelta

    from django.utils import timezone
    closed = factories.campaign(campaign_index, opens_at=timezone.now() - timedelta(days=3),
                                closes_at=timezone.now() - timedelta(days=1))
    refused = client.post(f"/campanas/{closed.slug}/firmar/", _form(5))
    assert refused.status_code == 400 and "se cerró" in refused.content.decode()
    for number in range(6, 20):
        last = client.post(url, _form(number))
    assert last.status_code == 429
    # Attempts counted from this address: the first, the duplicate, the bot, then the
    # loop's until the limit (the closed campaign refused before counting).
    assert Signature.objects.count() == 1 + services.SIGN_RATE_LIMIT[0] - 3
    assert client.get(url).status_code == 302  # a GET goes back to the form


def test_members_find_the_form_filled(client, campaign, learner):
    client.force_login(learner)
    html = client.get(f"/campanas/{campaign.slug}/").content.decode()
    assert f'value="{learner.email}"' in html and 'value="Ayuntamiento de Ejemplo"' in html


def test_the_public_list_shows_approved_signatures_without_emails(client, campaign, editor):
    approved = factories.signature(campaign, reviewer=editor, organisation="Ciudad Pública",
                                   country="AR", city="Rosario")
    factories.signature(campaign, status="confirmed", organisation="Ciudad En Espera")
    factories.signature(campaign, status="rejected", reviewer=editor,
                        organisation="Ciudad Rechazada")
    for path in ("", "firmantes/"):
        html = client.get(f"/campanas/{campaign.slug}/{path}").content.decode()
        assert "Ciudad Pública" in html and "Argentina" in html
        assert "Ciudad En Espera" not in html and "Ciudad Rechazada" not in html
        assert "@ejemplo.org" not in html and approved.representative_name not in html
    filtered = client.get(f"/campanas/{campaign.slug}/firmantes/?pais=UY").content.decode()
    assert "Ciudad Pública" not in filtered and "Ninguna firma coincide" in filtered
    odd = client.get(f"/campanas/{campaign.slug}/firmantes/",
                     {"pais": "ÑÑ", "tipo": "<b>", "pagina": "9" * 30})
    assert odd.status_code == 200 and "Ciudad Pública" in odd.content.decode()


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_and_page_queries_do_not_grow_with_signatures(client, campaign, editor):
    for _ in range(3):
        factories.signature(campaign, reviewer=editor)
    urls = [f"/campanas/{campaign.slug}/", f"/campanas/{campaign.slug}/firmantes/"]
    for url in urls:  # warm the site's caches (site root, locales, navigation)
        client.get(url)
    few = [_queries(client, url) for url in urls]
    for _ in range(30):
        factories.signature(campaign, reviewer=editor)
    assert [_queries(client, url) for url in urls] == few


def test_the_map_highlights_signatories(client, campaign, editor, home_page):
    es = Locale.get_default()
    Partner.objects.create(name="Montevideo", slug="montevideo", city="Montevideo",
                           country="UY", latitude=-34.9, longitude=-56.16, locale=es)
    Partner.objects.create(name="Lyon", slug="lyon", city="Lyon", country="FR",
                           latitude=45.76, longitude=4.83, locale=es)
    factories.signature(campaign, reviewer=editor, organisation="Montevideo", city="Montevideo")
    factories.signature(campaign, reviewer=editor, organisation="Universidad del Puerto",
                        signatory_type="academia", city="montevideo ")
    factories.signature(campaign, reviewer=editor, organisation="Aldea Lejana", city="Nowhere")
    html = client.get(f"/campanas/{campaign.slug}/").content.decode()
    # Montevideo signed itself, and a university of the city counts on its marker.
    signed = re.findall(r'network-map__city--signed" href="([^"]+)" aria-label="([^"]+)"', html)
    assert len(signed) == 1 and "#firma-" in signed[0][0]
    assert signed[0][1] == "Montevideo: ha firmado, con 1 firmante más de su ciudad"
    assert 'aria-label="Lyon: todavía no ha firmado"' in html
    assert "2 firmantes situados en el mapa" in html
    assert "Aldea Lejana" in html  # listed, if not on the map


def test_the_badge(client, campaign, editor, campaign_index):
    factories.signature(campaign, reviewer=editor)
    url = f"/campanas/{campaign.slug}/insignia.svg"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert "max-age" in response["Cache-Control"] and response["ETag"]
    body = response.content.decode()
    assert "1 firma<" in body and campaign.title in body
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    factories.signature(campaign, reviewer=editor)
    second = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert second.status_code == 200 and "2 firmas<" in second.content.decode()
    english = client.get(f"/en/campanas/{campaign.slug}/insignia.svg").content.decode()
    assert "2 signatures" in english
    hostile = factories.campaign(campaign_index, title='<script>alert(1)</script> & "co"')
    svg = client.get(f"/campanas/{hostile.slug}/insignia.svg").content.decode()
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "&amp;" in svg


def test_a_translation_counts_with_the_original(client, campaign, editor):
    french = page_tree.start_translation(campaign, Locale.objects.get(language_code="fr"))
    french.title = "Campagne"
    french.save_revision().publish()
    response = client.post(f"/fr/campanas/{campaign.slug}/firmar/", _form(40))
    assert response.status_code == 302
    signature = Signature.objects.get()
    assert signature.campaign_id == campaign.pk and signature.language == "fr"
    services.do_confirm(campaign, services.confirmation_token(signature))
    services.do_review(editor, french, [signature.pk], "approve")
    assert "Municipio 40" in client.get(f"/fr/campanas/{campaign.slug}/firmantes/").content.decode()


def test_withdrawing_through_the_link(client, campaign, editor):
    signature = factories.signature(campaign, reviewer=editor)
    url = f"/campanas/{campaign.slug}/retirar/?clave={services.withdrawal_token(signature)}"
    assert "Retirar mi firma" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not Signature.objects.exists()
    assert client.post(url).status_code == 404


def test_signatories_of_a_partner_city_count_on_its_marker(client, campaign, editor, home_page):
    """Markers of their own around the city, with long names, would cover each other."""
    Partner.objects.create(name="Intendencia de Montevideo", slug="montevideo",
                           city="Montevideo", country="UY", latitude=-34.9, longitude=-56.16,
                           locale=Locale.get_default())
    for name in ["Universidad del Puerto", "Red Barrial", "Cámara del Sur"]:
        factories.signature(campaign, reviewer=editor, organisation=name, city="Montevideo",
                            signatory_type="academia")
    html = client.get(f"/campanas/{campaign.slug}/").content.decode()
    signed = re.findall(r'network-map__city--signed" href="[^"]+" aria-label="([^"]+)"', html)
    assert signed == ["Intendencia de Montevideo: 3 firmantes de esta ciudad"]
    assert "3 firmantes situados en el mapa" in html
