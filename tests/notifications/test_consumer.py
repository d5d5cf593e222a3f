"""The personal notifications socket: who may join, what it delivers, bad input."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from allas_site.asgi import application
from allas_site.notifications import services
from allas_site.notifications.models import Notification
from tests import factories

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]
PATH = "/ws/notificaciones/"
ORIGIN = (b"origin", b"http://testserver")


@sync_to_async
def session_cookie_for(user):
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


async def connect(user=None, origin=ORIGIN):
    headers = [(b"host", b"testserver")]
    if origin:
        headers.append(origin)
    if user is not None:
        headers.append((b"cookie", (await session_cookie_for(user)).encode()))
    communicator = WebsocketCommunicator(application, PATH, headers=headers)
    connected, _subprotocol = await communicator.connect()
    return communicator, connected


new_learner = sync_to_async(factories.learner)
notify = sync_to_async(services.do_notify)


async def test_anonymous_visitors_are_refused():
    communicator, connected = await connect()
    assert not connected
    await communicator.disconnect()


async def test_foreign_origin_is_refused():
    user = await new_learner()
    communicator, connected = await connect(user, origin=(b"origin", b"https://evil.example"))
    assert not connected
    await communicator.disconnect()


async def test_missing_origin_is_refused():
    user = await new_learner()
    communicator, connected = await connect(user, origin=None)
    assert not connected
    await communicator.disconnect()


async def test_member_joins_and_receives_own_notifications_only():
    ana, bruno = await new_learner(), await new_learner()
    communicator, connected = await connect(ana)
    assert connected
    hello = await communicator.receive_json_from()
    assert hello == {"type": "hello", "unread": 0, "last_id": 0}

    await notify(bruno, kind="mention", title="Para Bruno", url="/cafe/")
    mine = await notify(ana, kind="mention", title="Te mencionaron", url="/cafe/debates/1/")
    event = await communicator.receive_json_from(timeout=2)
    assert event["type"] == "notification.created"
    assert event["id"] == mine.pk
    assert event["title"] == "Te mencionaron"
    assert event["unread"] == 1
    assert await communicator.receive_nothing(timeout=0.2)
    await communicator.disconnect()


async def test_resume_replays_what_was_missed_from_the_database():
    ana = await new_learner()
    first = await notify(ana, kind="reply", title="Primera")
    # Sent while Ana was offline: only the database has them.
    second = await notify(ana, kind="reply", title="Segunda")
    third = await notify(ana, kind="reply", title="Tercera")
    communicator, _connected = await connect(ana)
    hello = await communicator.receive_json_from()
    assert hello["unread"] == 3 and hello["last_id"] == third.pk
    await communicator.send_json_to({"type": "resume", "last_id": first.pk})
    replayed = [await communicator.receive_json_from() for _ in range(2)]
    assert [event["id"] for event in replayed] == [second.pk, third.pk]
    assert await communicator.receive_nothing(timeout=0.2)
    await communicator.disconnect()


async def test_mark_read_over_the_socket_touches_only_my_notifications():
    ana, bruno = await new_learner(), await new_learner()
    mine = await notify(ana, kind="reply", title="Mía")
    theirs = await notify(bruno, kind="reply", title="Ajena")
    communicator, _connected = await connect(ana)
    await communicator.receive_json_from()
    await communicator.send_json_to({"type": "mark_read", "ids": [mine.pk, theirs.pk]})
    events = [await communicator.receive_json_from() for _ in range(2)]
    assert {event["type"] for event in events} == {"notification.read"}
    assert all(event["unread"] == 0 for event in events)
    assert await sync_to_async(Notification.objects.filter(read_at__isnull=True).count)() == 1
    assert await sync_to_async(lambda: Notification.objects.get(pk=theirs.pk).read_at)() is None
    await communicator.disconnect()


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("{not json", "malformed_json"),
        ("[1, 2, 3]", "missing_type"),
        ('{"type": "explode"}', "unknown_type"),
        ('{"type": "resume", "last_id": "abc"}', "bad_last_id"),
        ('{"type": "resume", "last_id": 1%s}' % ("0" * 30), "bad_last_id"),  # beyond 64 bits
        ('{"type": "mark_read", "ids": "all"}', "bad_ids"),
    ],
)
async def test_bad_messages_get_an_error_frame_and_the_socket_stays_usable(frame, code):
    ana = await new_learner()
    communicator, _connected = await connect(ana)
    await communicator.receive_json_from()
    await communicator.send_to(text_data=frame)
    error = await communicator.receive_json_from()
    assert error["type"] == "error" and error["code"] == code
    await communicator.send_json_to({"type": "ping"})
    assert await communicator.receive_json_from() == {"type": "pong"}
    await communicator.disconnect()


async def test_binary_frames_get_an_error_frame():
    ana = await new_learner()
    communicator, _connected = await connect(ana)
    await communicator.receive_json_from()
    await communicator.send_to(bytes_data=b"\x00\x01")
    assert (await communicator.receive_json_from())["code"] == "binary_unsupported"
    await communicator.disconnect()


# --- Redis or the database down: close with 4503, the client retries and resumes ---------


async def closed_with(communicator):
    output = await communicator.receive_output(timeout=10)
    while output["type"] != "websocket.close":
        output = await communicator.receive_output(timeout=10)
    return output.get("code")


@pytest.mark.parametrize("error", [ConnectionError("Redis refused"), TimeoutError("slow")])
async def test_a_failing_group_add_closes_with_try_again(monkeypatch, error):
    from channels.layers import get_channel_layer

    async def group_add(group, channel):
        raise error

    monkeypatch.setattr(get_channel_layer(), "group_add", group_add)
    communicator, connected = await connect(await new_learner())
    assert connected  # accepted only so the browser can read the code
    assert await closed_with(communicator) == 4503
    await communicator.disconnect(timeout=2)  # no exception in the consumer


async def test_a_database_outage_closes_with_try_again(monkeypatch):
    from django.db import OperationalError

    from allas_site.notifications.consumers import NotificationConsumer

    async def state(self):
        raise OperationalError("the database system is shutting down")

    monkeypatch.setattr(NotificationConsumer, "state", state)
    communicator, connected = await connect(await new_learner())
    assert connected
    assert await closed_with(communicator) == 4503
    await communicator.disconnect(timeout=2)  # ends without an exception


async def test_a_notification_is_forwarded_as_the_text_encoded_once(monkeypatch):
    import json

    ana = await new_learner()
    communicator, _connected = await connect(ana)
    await communicator.receive_json_from()
    encoded = []
    real_dumps = json.dumps

    def counting_dumps(value, *args, **kwargs):
        if isinstance(value, dict) and value.get("type") == "notification.created":
            encoded.append(value["id"])
        return real_dumps(value, *args, **kwargs)

    monkeypatch.setattr(json, "dumps", counting_dumps)
    mine = await notify(ana, kind="mention", title="Hola")
    event = await communicator.receive_json_from(timeout=2)
    assert event["id"] == mine.pk and event["title"] == "Hola"
    assert encoded == [mine.pk]  # by send_event_on_commit; the consumer sends the text
    await communicator.disconnect()


async def test_a_redis_restart_is_noticed_on_the_next_ping(monkeypatch):
    from allas_site.notifications import consumers

    epochs = iter(["before", "after"])

    async def layer_epoch():
        return next(epochs)

    monkeypatch.setattr(consumers, "layer_epoch", layer_epoch)
    communicator, _connected = await connect(await new_learner())
    await communicator.receive_json_from()
    await communicator.send_json_to({"type": "ping"})
    assert await closed_with(communicator) == 4503
    await communicator.disconnect(timeout=2)  # ends without an exception
