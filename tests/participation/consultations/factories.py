"""Consultations in the page tree, with just what a test needs."""

import itertools
from datetime import timedelta

from django.utils import timezone

from allas_site.core.demo import indexed_once
from participation.consultations import services
from participation.consultations.models import ConsultationIndexPage, ConsultationPage

_numbers = itertools.count(1)

SURVEY = [
    ("single_choice", {"question": "¿Prioridad?", "required": True,
                       "options": ["Cooperación", "Inversión", "Redes"]}),
    ("multiple_choice", {"question": "¿Regiones?", "required": False,
                         "options": ["Europa", "África", "Asia"]}),
    ("ranking", {"question": "Ordena", "required": False,
                 "options": ["Hermanamientos", "Proyectos", "Misiones"]}),
    ("scale", {"question": "¿Cuánto conoces?", "required": True}),
    ("short_text", {"question": "Una red", "required": False}),
    ("long_text", {"question": "¿Qué hacer?", "required": False}),
]


@indexed_once()
def index(home_page):
    existing = ConsultationIndexPage.objects.filter(locale=home_page.locale).first()
    if existing:
        return existing
    page = ConsultationIndexPage(title="Consultas", slug="consultas", locale=home_page.locale)
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return ConsultationIndexPage.objects.get(pk=page.pk)


@indexed_once()
def consultation(parent, *, state="open", partner=None, survey=None, **fields):
    number = next(_numbers)
    now = timezone.now()
    if state == "open":
        opens, closes = now - timedelta(days=1), now + timedelta(days=10)
    elif state == "closed":
        opens, closes = now - timedelta(days=20), now - timedelta(days=1)
    else:
        opens, closes = now + timedelta(days=2), now + timedelta(days=12)
    page = ConsultationPage(
        title=fields.pop("title", f"Consulta {number}"), slug=f"consulta-{number}",
        summary="Una consulta para probar.", opens_at=fields.pop("opens_at", opens),
        closes_at=fields.pop("closes_at", closes), owner_partner=partner or globals()["partner"](),
        survey=survey if survey is not None else SURVEY, **fields,
    )
    parent.add_child(instance=page)
    page.save_revision().publish()
    return ConsultationPage.objects.get(pk=page.pk)


def questions(page):
    return {q.kind: q for q in services.questions_for(page, page)}


def complete_answers(page, *, choice=0, scale=4):
    q = questions(page)
    return {
        q["single_choice"].id: q["single_choice"].option_ids[choice],
        q["scale"].id: scale,
    }


def partner(slug="medellin", **fields):
    from wagtail.models import Locale

    from allas_site.partners.models import Partner

    found = Partner.objects.filter(slug=slug, locale=Locale.get_default()).first()
    if found:
        return found
    item = Partner(slug=slug, name=fields.pop("name", slug.title()), locale=Locale.get_default(),
                   **fields)
    item.save()
    return item
