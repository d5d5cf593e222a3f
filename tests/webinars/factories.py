"""Agendas and events in the page tree, with just what a test needs."""

import itertools
from datetime import timedelta

from django.utils import timezone

from webinars.models import WebinarIndexPage, WebinarPage

_numbers = itertools.count(1)


def agenda(home_page):
    existing = WebinarIndexPage.objects.filter(locale=home_page.locale).first()
    if existing:
        return existing
    index = WebinarIndexPage(title="Agenda", slug="webinars", locale=home_page.locale)
    home_page.add_child(instance=index)
    index.save_revision().publish()
    return WebinarIndexPage.objects.get(pk=index.pk)


def webinar(index, *, starts_in=timedelta(days=3), duration=timedelta(hours=1), title=None,
            publish=True, **fields):
    number = next(_numbers)
    starts_at = fields.pop("starts_at", None) or (timezone.now() + starts_in).replace(
        second=0, microsecond=0)
    page = WebinarPage(
        title=title or f"Webinar de prueba {number}", slug=f"webinar-{number}",
        summary="Un webinar para probar.", starts_at=starts_at,
        ends_at=fields.pop("ends_at", None) or starts_at + duration,
        languages=fields.pop("languages", ["es"]), live=publish, **fields,
    )
    index.add_child(instance=page)
    if publish:
        # Published as editors do, so the other languages' trees get their aliases.
        page.save_revision().publish()
    return WebinarPage.objects.get(pk=page.pk)


def republish(page, **changes):
    """An editor's edit: a new revision with ``changes``, published."""
    page = WebinarPage.objects.get(pk=page.pk)
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return WebinarPage.objects.get(pk=page.pk)
