"""Live webinars, registrations and room sockets for the live room's tests."""

import itertools
from datetime import timedelta

from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client
from django.utils import timezone
from wagtail.models import Locale, Page

from allas_site.asgi import application
from webinars.models import (
    Registration,
    RegistrationStatus,
    WebinarIndexPage,
    WebinarPage,
    WebinarSpeaker,
)

_numbers = itertools.count(1)


def agenda():
    """The Agenda page: under the site's home when there is one, else under the root."""
    existing = WebinarIndexPage.objects.first()
    if existing:
        return existing
    locale, _created = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    parent = Page.objects.filter(depth=2).first()
    if parent is None:
        parent = Page.objects.filter(depth=1).first() or Page.add_root(
            instance=Page(title="Root", slug="root", locale=locale)
        )
    return parent.add_child(instance=WebinarIndexPage(title="Webinars", slug="webinars"))


def make_webinar(*, starts_in=timedelta(minutes=-10), lasts=timedelta(hours=1),
                 moderator=None, speakers=(), **fields):
    """An event that started ``-starts_in`` ago (live by default)."""
    number = next(_numbers)
    start = timezone.now() + starts_in
    page = WebinarPage(
        title=fields.pop("title", f"Ciudades en red {number}"),
        slug=fields.pop("slug", f"ciudades-en-red-{number}-{timezone.now():%H%M%S%f}"),
        summary="La internacionalización de las ciudades, en directo.",
        starts_at=start, ends_at=start + lasts, languages=["es"], moderator=moderator,
        **fields,
    )
    agenda().add_child(instance=page)
    for member in speakers:
        WebinarSpeaker.objects.create(page=page, member=member)
    return WebinarPage.objects.get(pk=page.pk)


def register(user, webinar, status=RegistrationStatus.REGISTERED):
    return Registration.objects.create(user=user, webinar=webinar,
                                       webinar_key=webinar.translation_key, status=status)


def session_cookie(user):
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


async def connect(webinar_id, user=None, origin=b"http://testserver"):
    headers = [(b"host", b"testserver"), (b"origin", origin)]
    if user is not None:
        cookie = await sync_to_async(session_cookie)(user)
        headers.append((b"cookie", cookie.encode()))
    communicator = WebsocketCommunicator(
        application, f"/ws/webinars/{webinar_id}/sala/", headers=headers
    )
    # channels' 1 s default failed now and then on a loaded CI machine (two suites on two
    # cores); a refusal still answers at once.
    connected, _subprotocol = await communicator.connect(timeout=5)
    return communicator, connected


async def receive_until(communicator, kind, timeout=2):
    """The next event of ``kind`` (presence and others on the way are skipped)."""
    while True:
        event = await communicator.receive_json_from(timeout=timeout)
        if event["type"] == kind:
            return event


async def resume(communicator, last_id, since=None):
    """Send ``resume`` and collect the replay up to ``resume.done`` (presence left out)."""
    frame = {"type": "resume", "last_id": last_id}
    if since is not None:
        frame["since"] = since
    await communicator.send_json_to(frame)
    events = []
    while (event := await communicator.receive_json_from())["type"] != "resume.done":
        if event["type"] != "presence":
            events.append(event)
    return events, event
