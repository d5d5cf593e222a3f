"""Campaign pages and signatures with just what a test needs."""

import itertools
from datetime import timedelta

from django.utils import timezone

from allas_site.core.demo import indexed_once
from participation.campaigns import services
from participation.campaigns.models import CampaignIndexPage, CampaignPage

_numbers = itertools.count(1)


@indexed_once()
def index(home_page):
    existing = CampaignIndexPage.objects.filter(locale=home_page.locale).first()
    if existing:
        return existing
    page = CampaignIndexPage(title="Campañas", slug="campanas", locale=home_page.locale)
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return CampaignIndexPage.objects.get(pk=page.pk)


@indexed_once()
def campaign(parent, *, title=None, **fields):
    number = next(_numbers)
    page = CampaignPage(
        title=title or f"Campaña de prueba {number}", slug=f"campana-{number}",
        summary="Una campaña para probar.", statement="<p>Pedimos algo razonable.</p>",
        opens_at=fields.pop("opens_at", timezone.now() - timedelta(days=1)), **fields,
    )
    parent.add_child(instance=page)
    page.save_revision().publish()
    return CampaignPage.objects.get(pk=page.pk)


def signer(number=None, **overrides):
    number = number if number is not None else next(_numbers)
    data = {
        "organisation": f"Municipio {number}", "signatory_type": "local_government",
        "city": "Montevideo", "country": "UY", "representative_name": f"Persona {number}",
        "representative_role": "Intendencia", "email": f"firma{number}@ejemplo.org",
    }
    data.update(overrides)
    return data


def signature(page, status="approved", reviewer=None, **overrides):
    """A signature taken to ``status`` through the services."""
    signed = services.do_sign(page, signer(**overrides))
    if status == "pending":
        return signed
    signed = services.do_confirm(page, services.confirmation_token(signed))
    if status in ("approved", "rejected"):
        decision = "approve" if status == "approved" else "reject"
        services.do_review(reviewer, page, [signed.pk], decision)
        signed.refresh_from_db()
    return signed
