"""Fan-out of one event to many sockets: encoded once, forwarded as text without a
database hop, duplicates suppressed with bounded memory."""

import json

import pytest
from asgiref.sync import SyncToAsync, sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator

from allas_site.realtime import event_message
from community import services
from community.consumers import DELIVERED_KEPT, DebateConsumer
from community.events import debate_group
from tests.community.factories import CategoryFactory
from tests.community.test_consumers import (
    application,
    connect,
    debate_in,
    new_learner,
    new_moderator,
    receive_until,
    reply,
    session_cookie_for,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


@pytest.fixture
def hops(monkeypatch):
    """Trips to a sync thread (database_sync_to_async, and the close_old_connections()
    channels' own dispatch sends there before every handler): in a server process
    sockets share one database thread, so each trip queues behind everyone else's."""
    calls = []
    real = SyncToAsync.__call__

    async def counted(self, *args, **kwargs):
        name = getattr(self.func, "__name__", repr(self.func))
        # Reads in the sockets' own threads (socket_reads) are marked as such.
        calls.append(name if self._thread_sensitive else f"read:{name}")
        return await real(self, *args, **kwargs)

    monkeypatch.setattr(SyncToAsync, "__call__", counted)
    return calls


async def test_a_post_is_encoded_once_and_forwarded_without_a_database_hop(monkeypatch, hops):
    debate = await debate_in()
    readers = []
    for _ in range(6):
        communicator, _connected = await connect(debate.pk, await new_learner())
        await receive_until(communicator, "hello")
        readers.append(communicator)
    anonymous, _connected = await connect(debate.pk)
    await receive_until(anonymous, "hello")
    readers.append(anonymous)

    encoded = []
    real_dumps = json.dumps

    def counting_dumps(value, *args, **kwargs):
        if isinstance(value, dict) and value.get("type") == "post.created":
            encoded.append(value["id"])
        return real_dumps(value, *args, **kwargs)

    monkeypatch.setattr(json, "dumps", counting_dumps)
    hops.clear()
    post = await reply(await new_learner(), debate, "Para todos")
    for communicator in readers:
        event = await receive_until(communicator, "post.created")
        assert event["id"] == post.pk and event["post"]["body_html"] == "<p>Para todos</p>"
    assert encoded == [post.pk]  # once, not once per socket
    # No trip per socket and event: the only ones are the test's own (author and post).
    assert sorted(hops) == ["do_create_post", "learner"]
    for communicator in readers:
        await communicator.disconnect()


async def test_the_group_message_carries_the_encoded_event():
    message = event_message({"type": "post.hidden", "id": 7, "debate": 3})
    assert message["type"] == "realtime.event"
    assert message["kind"] == "post.hidden" and message["id"] == 7
    assert json.loads(message["text"]) == {"type": "post.hidden", "id": 7, "debate": 3}
    assert "guest_text" not in message  # the same text for everyone
    guests = event_message({"type": "presence", "count": 2, "readers": [{"name": "Ana"}]},
                           guest_event={"type": "presence", "count": 2, "readers": []})
    assert "Ana" not in guests["guest_text"]
    assert event_message({"type": "typing"}, guest_event=None)["guest_text"] is None


async def test_joining_and_resuming_are_reads_that_skip_the_database_thread(hops):
    # A room filling up queued every socket's trips on its process's one database
    # thread. Joining reads the session's member and checks access, a resume is one
    # read for the whole catch-up, a ping one: all in the sockets' read threads.
    # Typing (and the presence it causes) needs none.
    debate = await debate_in()
    await reply(await new_learner(), debate, "Antes de entrar")
    member = await new_learner()
    headers = [(b"host", b"testserver"), (b"origin", b"http://testserver"),
               (b"cookie", (await session_cookie_for(member)).encode())]
    communicator = WebsocketCommunicator(application, f"/ws/cafe/debates/{debate.pk}/",
                                         headers=headers)
    hops.clear()
    connected, _subprotocol = await communicator.connect()
    assert connected
    await receive_until(communicator, "hello")
    assert hops == ["read:get_user", "read:access"]
    hops.clear()
    await communicator.send_json_to({"type": "resume", "last_id": 0, "since": 0})
    replayed = []
    while (event := await communicator.receive_json_from())["type"] != "resume.done":
        if event["type"].startswith("post."):
            replayed.append(event["type"])
    assert replayed == ["post.created", "post.created"]  # the opening post and the reply
    assert hops == ["read:catch_up"]
    hops.clear()
    await communicator.send_json_to({"type": "typing"})
    await communicator.send_json_to({"type": "ping"})
    await receive_until(communicator, "pong")
    assert hops == ["read:debate_state"]  # the ping's answer; typing went without
    await communicator.disconnect()


async def test_a_move_still_checks_access_in_the_database(hops):
    debate = await debate_in()
    communicator, _ = await connect(debate.pk, await new_learner())
    await receive_until(communicator, "hello")
    hops.clear()
    experts_only = await sync_to_async(CategoryFactory)(read_access="experts")
    await sync_to_async(services.do_move_debate)(await new_moderator(), debate, experts_only)
    output = await communicator.receive_output(timeout=2)
    while output["type"] != "websocket.close":
        output = await communicator.receive_output(timeout=2)
    assert output["code"] == 4403
    assert "read:access" in hops  # debate.moved is the event that checks access again


async def test_a_post_delivered_live_is_not_replayed_and_the_memory_stays_bounded():
    debate = await debate_in()
    member = await new_learner()
    communicator, _ = await connect(debate.pk, member)
    hello = await receive_until(communicator, "hello")
    live = await reply(member, debate, "en directo")
    await receive_until(communicator, "post.created")
    await communicator.send_json_to({"type": "resume", "last_id": hello["last_id"]})
    replayed = []
    while (event := await communicator.receive_json_from())["type"] != "resume.done":
        if event["type"] == "post.created":
            replayed.append(event["id"])
    assert live.pk not in replayed
    await communicator.disconnect()

    consumer = DebateConsumer()
    consumer.delivered = set()
    for post_id in range(1, 20_000):
        assert consumer.first_delivery(post_id)
    assert len(consumer.delivered) <= DELIVERED_KEPT
    assert not consumer.first_delivery(19_999)  # recent ids are still recognised


async def test_a_late_second_copy_of_a_post_the_client_has_is_not_sent():
    # A broadcast Redis broke off is sent again (realtime.send_event_on_commit); the
    # second copy may reach a connection opened meanwhile, after its client resumed
    # with that post already in hand.
    debate = await debate_in()
    member = await new_learner()
    post = await reply(member, debate, "ya la tengo")
    communicator, _ = await connect(debate.pk, member)
    await receive_until(communicator, "hello")
    await communicator.send_json_to({"type": "resume", "last_id": post.pk})
    await receive_until(communicator, "resume.done")
    payload = {"type": "post.created", "id": post.pk, "debate": debate.pk}
    await get_channel_layer().group_send(debate_group(debate.pk), event_message(payload))
    newer = await reply(member, debate, "nueva")
    event = await receive_until(communicator, "post.created")
    assert event["id"] == newer.pk  # the old copy was not sent before it
    await communicator.disconnect()
