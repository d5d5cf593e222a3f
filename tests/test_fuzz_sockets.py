"""Hostile frames on every socket of the project never crash the consumer.

The routes are read from ``allas_site.routing``, so a new socket is covered without
anyone remembering it. Each one, as a visitor and as a member, gets hostile path
values and then a series of hostile frames; after each frame the socket must still
answer a ping (or have closed with an application code), and a consumer exception
fails the test.
"""

import json
import re

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from allas_site.asgi import application
from allas_site.routing import websocket_urlpatterns
from community import services
from tests import factories
from tests.community.factories import CategoryFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

HUGE = 10**30
VALUES = [HUGE, -1, 2**63, 1.5, "²", "1", None, True, [], {}, [HUGE], ["x"], "x" * 10_000]
FIELDS = ["last_id", "since", "have", "ids", "id", "body", "post", "kind", "debate"]
TYPES = ["resume", "read", "mark_read", "typing", "ping", "react", "edit", "post", "x" * 300]
RAW_FRAMES = [
    "", "null", "[]", "123", '"ping"', "{", '{"type": null}', '{"type": 5}',
    '{"type": "ping", "type": "resume"}', "\x00", '{"type": "\\ud800"}', "[" * 5000,
    json.dumps({"type": "resume", "last_id": 1, "since": 1, "extra": "x" * 200_000}),
    *(json.dumps({"type": "resume", "last_id": 0, "have": have})
      for have in ([HUGE], ["x"] * 1000, list(range(10_000)), [[1]], [{}], "1")),
]
# What one socket alone reads (the webinar room's actions), tried on that socket only.
ROUTE_TYPES = {"webinar_id": ["ask", "vote", "moderate", "poll.open", "poll.vote", "poll.close"]}
ROUTE_FIELDS = {"webinar_id": ["text", "id", "action", "option", "options", "question"]}
PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")


def hostile_frames(param=None):
    yield from RAW_FRAMES
    for kind in TYPES:
        yield json.dumps({"type": kind})
        for field in FIELDS:
            for value in VALUES:
                yield json.dumps({"type": kind, field: value})
    for kind in ROUTE_TYPES.get(param, []):
        yield json.dumps({"type": kind})
        for field in ROUTE_FIELDS[param]:
            for value in VALUES:
                yield json.dumps({"type": kind, field: value})


@sync_to_async
def cookie_for(user):
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


@sync_to_async
def public_debate():
    category = CategoryFactory(read_access="everyone", post_access="members",
                               approve_first_posts=False)
    return services.do_start_debate(factories.expert(), category, title="T", body="Apertura")


@sync_to_async
def live_webinar(member):
    """A webinar going on now, ``member`` (when given) registered."""
    from tests.webinars.live_support import make_webinar, register

    webinar = make_webinar()
    if member is not None:
        register(member, webinar)
    return webinar


async def open_socket(path, cookie=None):
    headers = [(b"host", b"testserver"), (b"origin", b"http://testserver")]
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await communicator.connect(timeout=5)
    return communicator, connected


async def still_answers(communicator):
    """True when the socket answers a ping; False when it closed properly (a close
    frame with a code). A crashed consumer raises out of ``receive_output``."""
    await communicator.send_to(text_data='{"type": "ping"}')
    while True:
        output = await communicator.receive_output(timeout=5)
        if output["type"] == "websocket.close":
            assert output.get("code", 1000) >= 1000
            return False
        if output["type"] == "websocket.send" and '"pong"' in (output.get("text") or ""):
            return True


def route_paths(sample):
    """Each route's path with ``sample`` for its parameter: a str, or a dict by name."""
    for route in websocket_urlpatterns:
        names = PARAM.findall(str(route.pattern))
        param = names[0][1] if names else None
        value = sample.get(param, "0") if isinstance(sample, dict) else sample
        path = PARAM.sub(lambda match, value=value: str(value), str(route.pattern))
        yield param, "/" + path.lstrip("/")


@pytest.mark.parametrize("member", [False, True], ids=["visitor", "member"])
async def test_hostile_path_values_are_refused_cleanly(member):
    cookie = await cookie_for(await sync_to_async(factories.learner)()) if member else None
    for sample in ["0", "99999999999999999999999", "9223372036854775808", "00001"]:
        for _param, path in route_paths(sample):
            communicator, _connected = await open_socket(path, cookie)
            await communicator.disconnect()


@pytest.mark.parametrize("member", [False, True], ids=["visitor", "member"])
async def test_hostile_frames_never_crash_a_socket(member):
    debate = await public_debate()
    user = await sync_to_async(factories.learner)() if member else None
    webinar = await live_webinar(user)
    cookie = await cookie_for(user) if member else None
    sent, opened = 0, set()
    for param, path in route_paths({"debate_id": debate.pk, "webinar_id": webinar.pk}):
        communicator, connected = await open_socket(path, cookie)
        if not connected:
            continue  # refused before accept (notifications and webinar room for visitors)
        opened.add(param)
        for frame in hostile_frames(param):
            await communicator.send_input({"type": "websocket.receive", "text": frame})
            sent += 1
            if not await still_answers(communicator):
                communicator, connected = await open_socket(path, cookie)
                assert connected
        await communicator.send_to(bytes_data=b"\xff\x00binary")
        assert await still_answers(communicator)
        await communicator.disconnect()
    assert sent > 500
    assert ("webinar_id" in opened) == member  # the room is for its registered people
