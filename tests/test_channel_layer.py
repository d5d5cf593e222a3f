"""The Redis channel layer with one reader per process (allas_site.channel_layer):
a group message reaches every socket of the process exactly once, direct sends still
arrive, a Redis failure reaches every waiting socket, and the reader stops with the
last socket, when nobody waits any more or when its event loop closes (these need Redis,
REDIS_URL, as in the PostgreSQL + Redis CI run). And broadcasts leave ahead of a
transaction's slower commit callbacks."""

import asyncio
import threading
import uuid

import pytest
from django.conf import settings
from redis.exceptions import TimeoutError as RedisTimeoutError

from allas_site.channel_layer import FanOutRedisChannelLayer

needs_redis = pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis (REDIS_URL)")


@pytest.fixture
async def layer():
    layer = FanOutRedisChannelLayer(hosts=[settings.REDIS_URL],
                                    prefix=f"test-fanout-{uuid.uuid4().hex[:8]}")
    yield layer
    await layer.flush()


@needs_redis
async def test_a_group_message_reaches_each_socket_once(layer):
    channels = [await layer.new_channel() for _n in range(30)]
    for channel in channels:
        await layer.group_add("debate.1", channel)
    receivers = [asyncio.ensure_future(layer.receive(channel)) for channel in channels]
    await layer.group_send("debate.1", {"type": "realtime.event", "text": "uno"})
    got = await asyncio.wait_for(asyncio.gather(*receivers), 5)
    assert [message["text"] for message in got] == ["uno"] * 30
    # Nothing more is waiting for anyone: the next message is the next one sent.
    second = [asyncio.ensure_future(layer.receive(channel)) for channel in channels]
    await layer.send(channels[3], {"type": "realtime.event", "text": "solo"})
    done, pending = await asyncio.wait(second, timeout=2)
    assert [task.result()["text"] for task in done] == ["solo"] and second[3] in done
    waiting = [*pending, asyncio.ensure_future(layer.receive(channels[3]))]
    await asyncio.sleep(0)
    for task in waiting:
        task.cancel()  # every socket leaves
    await asyncio.gather(*waiting, return_exceptions=True)
    assert layer._reader is None and not layer._queues  # the last socket stopped it


@needs_redis
async def test_messages_queue_for_a_socket_that_is_busy(layer):
    channel = await layer.new_channel()
    await layer.group_add("debate.2", channel)
    first = asyncio.ensure_future(layer.receive(channel))
    for number in range(3):
        await layer.group_send("debate.2", {"type": "realtime.event", "text": str(number)})
    assert (await asyncio.wait_for(first, 5))["text"] == "0"
    rest = [(await asyncio.wait_for(layer.receive(channel), 5))["text"] for _n in range(2)]
    assert rest == ["1", "2"]


@needs_redis
async def test_a_redis_failure_reaches_every_waiting_socket(layer, monkeypatch):
    channels = [await layer.new_channel() for _n in range(3)]
    calls = []

    async def broken(real_channel):
        calls.append(real_channel)
        raise ConnectionError("Redis went away")

    monkeypatch.setattr(layer, "_receive_once", broken)
    results = await asyncio.gather(*(layer.receive(channel) for channel in channels),
                                   return_exceptions=True)
    assert all(isinstance(result, ConnectionError) for result in results)
    assert len(calls) == 2  # one reader for the process (tried twice), not one per socket
    monkeypatch.undo()
    # The next receive starts a new reader.
    await layer.group_add("debate.3", channels[0])
    waiting = asyncio.ensure_future(layer.receive(channels[0]))
    await layer.group_send("debate.3", {"type": "realtime.event", "text": "de nuevo"})
    assert (await asyncio.wait_for(waiting, 5))["text"] == "de nuevo"


@needs_redis
async def test_a_read_that_timed_out_is_tried_again(layer, monkeypatch):
    channel = await layer.new_channel()
    await layer.group_add("debate.4", channel)
    real = layer._receive_once
    calls = []

    async def slow_once(real_channel):
        calls.append(real_channel)
        if len(calls) == 1:
            raise RedisTimeoutError("Timeout reading from socket")
        return await real(real_channel)

    monkeypatch.setattr(layer, "_receive_once", slow_once)
    waiting = asyncio.ensure_future(layer.receive(channel))
    await layer.group_send("debate.4", {"type": "realtime.event", "text": "sigue"})
    assert (await asyncio.wait_for(waiting, 5))["text"] == "sigue"
    assert len(calls) >= 2  # the reader went on after the timeout (and waits again)
    waiting = asyncio.ensure_future(layer.receive(channel))
    await asyncio.sleep(0)
    waiting.cancel()


@needs_redis
def test_a_closing_event_loop_stops_the_reader_even_when_it_swallows_the_cancel():
    """Python 3.11's asyncio.wait_for (redis-py's send) drops a cancellation that lands
    as the send completes; the reader carried on and the closing loop waited for ever.
    Each asyncio.run is a test's event loop: it must close, and the next one works."""
    layer = FanOutRedisChannelLayer(hosts=[settings.REDIS_URL],
                                    prefix=f"test-fanout-{uuid.uuid4().hex[:8]}")
    real = layer._receive_once
    swallowed = []

    async def swallowing(real_channel):
        try:
            return await real(real_channel)
        except asyncio.CancelledError:
            if swallowed:
                raise
            swallowed.append(real_channel)
            return None  # what wait_for handed back instead of the CancelledError

    layer._receive_once = swallowing

    async def a_socket_still_open_at_the_end(group, text):
        channel = await layer.new_channel()
        await layer.group_add(group, channel)
        waiting = asyncio.ensure_future(layer.receive(channel))
        await layer.group_send(group, {"type": "realtime.event", "text": text})
        got = (await asyncio.wait_for(waiting, 5))["text"]
        asyncio.ensure_future(layer.receive(channel))  # left waiting, as a test may
        await asyncio.sleep(0.2)  # the reader is back in its blocking pop
        return got, layer._reader

    results = []

    def two_loops():
        results.append(asyncio.run(a_socket_still_open_at_the_end("debate.5", "uno")))
        results.append(asyncio.run(a_socket_still_open_at_the_end("debate.6", "dos")))
        asyncio.run(layer.flush())

    thread = threading.Thread(target=two_loops, daemon=True)
    thread.start()
    thread.join(layer.brpop_timeout * 4 + 10)
    assert not thread.is_alive(), "an event loop did not close: its reader kept running"
    assert swallowed  # the first loop's reader really lost its CancelledError
    assert [text for text, _reader in results] == ["uno", "dos"]
    assert all(reader.done() for _text, reader in results)


@needs_redis
async def test_the_reader_stops_when_no_socket_waits_any_more(layer, monkeypatch):
    """channels cancels a socket's next receive as the socket closes, sometimes before
    that receive ever ran: nothing tells the reader, which stops once nobody waits."""
    monkeypatch.setattr(layer, "brpop_timeout", 1)
    channel = await layer.new_channel()
    await layer.group_add("debate.7", channel)
    first = asyncio.ensure_future(layer.receive(channel))
    await layer.group_send("debate.7", {"type": "realtime.event", "text": "hola"})
    assert (await asyncio.wait_for(first, 5))["text"] == "hola"
    never_ran = asyncio.ensure_future(layer.receive(channel))
    never_ran.cancel()
    await asyncio.gather(never_ran, return_exceptions=True)
    reader = layer._reader
    assert reader is not None and not reader.done()  # nobody told it
    await asyncio.wait_for(asyncio.shield(reader), 5)  # it stopped on its own
    assert layer._reader is None and not layer._queues and not layer._waiting
    # A socket that comes back later is served by a new reader.
    again = asyncio.ensure_future(layer.receive(channel))
    await layer.group_send("debate.7", {"type": "realtime.event", "text": "otra vez"})
    assert (await asyncio.wait_for(again, 5))["text"] == "otra vez"


@needs_redis
async def test_messages_wait_for_a_socket_between_two_receives(layer):
    channel = await layer.new_channel()
    await layer.group_add("debate.8", channel)
    first = asyncio.ensure_future(layer.receive(channel))
    await layer.group_send("debate.8", {"type": "realtime.event", "text": "1"})
    assert (await asyncio.wait_for(first, 5))["text"] == "1"
    assert channel not in layer._queues  # nothing kept for it while it has nothing
    await layer.group_send("debate.8", {"type": "realtime.event", "text": "2"})
    for _n in range(50):
        if channel in layer._queues:
            break
        await asyncio.sleep(0.02)
    assert (await asyncio.wait_for(layer.receive(channel), 5))["text"] == "2"


@pytest.mark.django_db
def test_broadcasts_go_ahead_of_slower_commit_callbacks(django_capture_on_commit_callbacks,
                                                         monkeypatch):
    """A reply's broadcast does not wait for what else its transaction does on commit
    (search indexing registered before it), and broadcasts keep their own order."""
    from django.db import transaction

    from allas_site import realtime

    sent = []
    monkeypatch.setattr(realtime, "get_channel_layer", lambda: _Recorder(sent))
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        transaction.on_commit(lambda: sent.append("index the post"))
        realtime.send_event_on_commit("debate.1", {"type": "post.created", "id": 1})
        transaction.on_commit(lambda: sent.append("enqueue notifications"))
        realtime.send_event_on_commit("debate.1", {"type": "post.updated", "id": 1})
    assert sent == ["post.created", "post.updated", "index the post", "enqueue notifications"]


class _Recorder:
    def __init__(self, sent):
        self.sent = sent

    async def group_send(self, group, message):
        self.sent.append(message["kind"])
