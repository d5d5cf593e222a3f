"""The results socket: who may join, results.changed after a submission, coalescing to
one event per couple of seconds, catch-up by change number, bad frames."""

import asyncio
from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client
from django.utils import timezone
from wagtail.models import Locale, Page

from allas_site.asgi import application
from participation.consultations import consumers, services
from participation.consultations.models import ConsultationIndexPage, ConsultationPage
from tests import factories as people
from tests.participation.consultations import factories

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


@sync_to_async
def make_consultation(**fields):
    locale, _created = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    parent = Page.objects.filter(depth=2).first() or Page.objects.filter(depth=1).first() \
        or Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    index = ConsultationIndexPage.objects.first() or parent.add_child(
        instance=ConsultationIndexPage(title="Consultas", slug="consultas"))
    now = timezone.now()
    page = ConsultationPage(
        title="Consulta en directo", slug=f"directo-{now:%H%M%S%f}", summary="x",
        opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=1),
        owner_partner=factories.partner(), survey=factories.SURVEY, live=True, **fields)
    index.add_child(instance=page)
    return ConsultationPage.objects.get(pk=page.pk)


@sync_to_async
def answer(user, page, choice=0):
    return services.do_save_response(user, page, factories.complete_answers(page, choice=choice),
                                     submit=True, sector="academia", city="Quito")


def _cookie(user):
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


async def connect(page, user=None):
    headers = [(b"host", b"testserver"), (b"origin", b"http://testserver")]
    if user is not None:
        headers.append((b"cookie", (await sync_to_async(_cookie)(user)).encode()))
    communicator = WebsocketCommunicator(application, f"/ws/consultas/{page.pk}/resultados/",
                                         headers=headers)
    connected, _sub = await communicator.connect()
    return communicator, connected


async def test_only_people_who_may_see_results_join():
    page = await make_consultation()
    learner = await sync_to_async(people.learner)()
    for user in (None, learner):
        communicator, connected = await connect(page, user)
        assert not connected
    await answer(learner, page)
    communicator, connected = await connect(page, learner)
    assert connected
    hello = await communicator.receive_json_from()
    assert hello == {"type": "hello", "seq": 1}
    await communicator.disconnect()


async def test_submissions_reach_the_socket_coalesced(monkeypatch):
    monkeypatch.setattr(consumers, "EVERY_S", 0.5)
    page = await make_consultation(results_visibility="after_answer")
    watcher = await sync_to_async(people.learner)()
    await answer(watcher, page)
    communicator, connected = await connect(page, watcher)
    assert connected
    assert (await communicator.receive_json_from())["seq"] == 1
    await answer(await sync_to_async(people.learner)(), page)
    first = await communicator.receive_json_from(timeout=2)
    assert first == {"type": "results.changed", "id": first["id"], "seq": 2} and first["id"]
    # A burst right after: one event, EVERY_S later, with the newest change number.
    from channels.layers import get_channel_layer

    from allas_site.realtime import event_message
    from participation.consultations.events import consultation_group

    layer = get_channel_layer()
    for seq in range(3, 13):
        await layer.group_send(consultation_group(page.pk), event_message(
            {"type": "results.changed", "id": 0, "seq": seq}))
    started = asyncio.get_running_loop().time()
    coalesced = await communicator.receive_json_from(timeout=2)
    assert coalesced["seq"] == 12
    assert asyncio.get_running_loop().time() - started > 0.2
    assert await communicator.receive_nothing(timeout=0.8)
    await communicator.disconnect()


async def test_resume_with_an_old_change_number_catches_up_and_bad_frames_get_errors():
    page = await make_consultation()
    watcher = await sync_to_async(people.learner)()
    await answer(watcher, page)
    await answer(await sync_to_async(people.learner)(), page)
    communicator, connected = await connect(page, watcher)
    assert connected
    await communicator.receive_json_from()
    await communicator.send_json_to({"type": "resume", "seq": 2})
    assert await communicator.receive_nothing(timeout=0.3)
    await communicator.send_json_to({"type": "resume", "seq": 0})
    assert await communicator.receive_json_from() == {"type": "results.changed", "id": 0,
                                                      "seq": 2}
    for frame in ({"type": "resume", "seq": -1}, {"type": "resume", "seq": "x"},
                  {"type": "resume", "seq": 10**30}, {"type": "shout"}):
        await asyncio.sleep(0)
        await communicator.send_json_to(frame)
        assert (await communicator.receive_json_from())["type"] == "error"
    await communicator.send_to(text_data="not json")
    assert (await communicator.receive_json_from())["code"] == "malformed_json"
    await communicator.send_json_to({"type": "ping"})
    assert await communicator.receive_json_from() == {"type": "pong", "seq": 2}
    await communicator.disconnect()
