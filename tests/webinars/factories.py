"""Agendas and events in the page tree, with just what a test needs."""

import itertools
import uuid
from datetime import timedelta

from django.utils import timezone

from allas_site.core.demo import indexed_once
from webinars.models import WebinarIndexPage, WebinarPage

_numbers = itertools.count(1)


@indexed_once()
def agenda(home_page):
    existing = WebinarIndexPage.objects.filter(locale=home_page.locale).first()
    if existing:
        return existing
    index = WebinarIndexPage(title="Agenda", slug="webinars", locale=home_page.locale)
    home_page.add_child(instance=index)
    index.save_revision().publish()
    return WebinarIndexPage.objects.get(pk=index.pk)


@indexed_once()
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


@indexed_once()
def republish(page, **changes):
    """An editor's edit: a new revision with ``changes``, published."""
    page = WebinarPage.objects.get(pk=page.pk)
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return WebinarPage.objects.get(pk=page.pk)


@indexed_once()
def bulk_webinars(index, count, *, start, step=timedelta(hours=7), duration=timedelta(hours=1),
                  **fields):
    """``count`` published events under ``index`` in a few statements, for query-count
    tests at the issue's sizes (500 events through ``webinar()`` take minutes: each one
    is a revision, a publication and three aliases). The rows are what the page tree
    holds for a published page: treebeard paths after the index's last child, a fresh
    translation key, the index's locale; no revisions or aliases (the Agenda reads
    neither)."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page

    index = WebinarIndexPage.objects.get(pk=index.pk)
    last = index.get_last_child()
    first_step = (Page._str2int(last.path[-Page.steplen:]) + 1) if last else 1
    content_type = ContentType.objects.get_for_model(WebinarPage)
    pages = []
    for offset in range(count):
        number = next(_numbers)
        starts_at = start + step * offset
        page = WebinarPage(
            title=f"Webinar de prueba {number}", draft_title=f"Webinar de prueba {number}",
            slug=f"webinar-{number}", url_path=f"{index.url_path}webinar-{number}/",
            path=Page._get_path(index.path, index.depth + 1, first_step + offset),
            depth=index.depth + 1, numchild=0, live=True, has_unpublished_changes=False,
            first_published_at=timezone.now(), last_published_at=timezone.now(),
            content_type=content_type, locale_id=index.locale_id, translation_key=uuid.uuid4(),
            summary="Un webinar para probar.", starts_at=starts_at,
            ends_at=starts_at + duration, languages=["es"], **fields,
        )
        pages.append(page)
    # Page rows in one statement, then each event's own row (Django has no bulk insert
    # for multi-table children; a raw save writes just that table).
    base_rows = Page.objects.bulk_create([
        Page(**{field.attname: getattr(page, field.attname)
                for field in Page._meta.concrete_fields if field.attname != "id"})
        for page in pages
    ])
    for page, row in zip(pages, base_rows, strict=True):
        page.page_ptr_id = page.pk = row.pk
        page.save_base(raw=True, force_insert=True)
    WebinarIndexPage.objects.filter(pk=index.pk).update(numchild=index.numchild + count)
    return pages


def bulk_people(count, prefix="persona"):
    """``count`` active members with a confirmed address, in three statements."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    User = get_user_model()
    batch = next(_numbers)
    password = make_password(None)  # unusable: nobody logs in as them
    users = User.objects.bulk_create([
        User(email=f"{prefix}{batch}-{n}@example.org", password=password,
             display_name=f"Persona {batch}-{n}", is_active=True)
        for n in range(count)
    ])
    if not users or users[0].pk is None:  # backends that return no keys
        users = list(User.objects.filter(email__startswith=f"{prefix}{batch}-"))
    EmailAddress.objects.bulk_create([
        EmailAddress(user=user, email=user.email, verified=True, primary=True)
        for user in users
    ])
    return users


def bulk_registrations(webinar, users, *, status="registered", **fields):
    """Registrations as ``do_register`` leaves them, without its lock and e-mails."""
    from webinars.models import Registration

    return Registration.objects.bulk_create([
        Registration(user=user, webinar=webinar, webinar_key=webinar.translation_key,
                     status=status, created_at=timezone.now(), **fields)
        for user in users
    ])
