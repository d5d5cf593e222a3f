"""Redis or the database down: the debate socket closes with 4503 ("try again", the
client reconnects with backoff and resumes) instead of crashing the handshake."""

import asyncio
import socket

import pytest
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import OperationalError

from community.consumers import DebateConsumer
from tests.community.test_consumers import connect, debate_in, new_learner, receive_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


def dead_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again: nothing listens there


async def closed_with(communicator):
    output = await communicator.receive_output(timeout=10)
    while output["type"] != "websocket.close":
        output = await communicator.receive_output(timeout=10)
    return output.get("code")


@pytest.mark.parametrize("error", [ConnectionError("Redis refused"), OSError("no route"),
                                   TimeoutError("Redis timed out")])
async def test_a_failing_group_add_closes_with_try_again(monkeypatch, error):
    debate = await debate_in()

    async def group_add(group, channel):
        raise error

    monkeypatch.setattr(get_channel_layer(), "group_add", group_add)
    communicator, connected = await connect(debate.pk, await new_learner())
    assert connected  # accepted only so the browser can read the code
    assert await closed_with(communicator) == 4503
    await communicator.disconnect(timeout=2)  # the consumer ends without an exception


@pytest.mark.parametrize("backend", ["channels_redis.core.RedisChannelLayer",
                                     "allas_site.channel_layer.FanOutRedisChannelLayer"])
async def test_a_redis_that_is_not_there_closes_with_try_again(settings, backend):
    debate = await debate_in()
    settings.CHANNEL_LAYERS = {"default": {
        "BACKEND": backend,
        "CONFIG": {"hosts": [f"redis://127.0.0.1:{dead_port()}/0"]},
    }}
    communicator, connected = await connect(debate.pk, await new_learner())
    assert connected
    assert await closed_with(communicator) == 4503
    await communicator.disconnect(timeout=10)  # ends without an exception


async def test_a_database_outage_closes_with_try_again(monkeypatch):
    debate = await debate_in()
    member = await new_learner()

    async def access(self):
        raise OperationalError("connection to server at 127.0.0.1 failed")

    monkeypatch.setattr(DebateConsumer, "access", access)
    communicator, connected = await connect(debate.pk, member)
    assert connected
    assert await closed_with(communicator) == 4503
    await communicator.disconnect(timeout=2)  # ends without an exception


async def test_losing_redis_while_connected_closes_with_try_again(monkeypatch):
    debate = await debate_in()
    outage = asyncio.Event()

    async def receive(channel):
        await outage.wait()
        raise ConnectionError("Connection closed by server.")

    monkeypatch.setattr(get_channel_layer(), "receive", receive)
    communicator, _ = await connect(debate.pk, await new_learner())
    await receive_until(communicator, "hello")
    outage.set()
    assert await closed_with(communicator) == 4503
    await communicator.disconnect(timeout=2)  # ends without an exception


async def test_a_refused_reader_is_still_refused_not_asked_to_retry():
    debate = await debate_in(read_access="experts", post_access="experts")
    communicator, connected = await connect(debate.pk, await new_learner())
    assert not connected  # the handshake is refused (403): the client does not retry


async def test_a_redis_restart_is_noticed_on_the_next_ping(monkeypatch):
    """Redis restarted empty forgets the groups: an open socket would hear nothing more.
    Its next ping notices and closes with 4503, so the client joins again and resumes."""
    from allas_site.notifications import consumers as base

    epochs = iter(["before", "before", "after"])

    async def layer_epoch():
        return next(epochs)

    monkeypatch.setattr(base, "layer_epoch", layer_epoch)
    debate = await debate_in()
    communicator, _ = await connect(debate.pk, await new_learner())
    await receive_until(communicator, "hello")
    await communicator.send_json_to({"type": "ping"})
    await receive_until(communicator, "pong")  # same Redis: memberships renewed
    await communicator.send_json_to({"type": "ping"})
    assert await closed_with(communicator) == 4503
    await communicator.disconnect(timeout=2)  # ends without an exception


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL")
async def test_a_real_redis_flush_closes_open_sockets_on_their_ping():
    from allas_site.realtime import key_prefix, redis_client

    debate = await debate_in()
    communicator, _ = await connect(debate.pk, await new_learner())
    await receive_until(communicator, "hello")
    await redis_client().delete(f"{key_prefix()}:epoch")  # what a restart does to it
    await communicator.send_json_to({"type": "ping"})
    assert await closed_with(communicator) == 4503
    await communicator.disconnect(timeout=2)  # ends without an exception
