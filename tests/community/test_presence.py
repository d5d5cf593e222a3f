"""Presence and typing in big rooms: O(1) work per join, leave and ping, distinct members,
expiry of silent tabs, coalesced announcements, and no names for guests.

The store is whichever the settings choose: in-process on the embedded default, Redis
with REDIS_URL (then the concurrency and restart tests exercise the real thing).
"""

import asyncio
import json
import time
from types import SimpleNamespace

import pytest
from django.conf import settings

from community import presence
from tests.community.test_consumers import connect, debate_in, new_learner, receive_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


def fake_member(pk):
    return SimpleNamespace(pk=100_000 + pk, public_name=f"Miembro {pk:03d}", initials="MM")


async def outputs_within(communicator, seconds):
    """Every frame sent within ``seconds``, as text. (Polled: a timed-out receive_output
    would cancel the consumer.)"""
    texts = []
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        if await communicator.receive_nothing(timeout=min(0.05, left)):
            continue
        output = await communicator.receive_output()
        if output["type"] == "websocket.send":
            texts.append(output["text"])
    return texts


async def frames_of(communicator, kind, seconds):
    """Every event of ``kind`` received within ``seconds``."""
    events = [json.loads(text) for text in await outputs_within(communicator, seconds)]
    return [event for event in events if event["type"] == kind]


# --- the store --------------------------------------------------------------------------


async def test_two_tabs_of_one_member_count_once():
    store = presence.store()
    for pk in range(1, 151):
        await store.seen(7001, f"tab-{pk}", presence.reader_of(fake_member(pk)))
    for pk in range(1, 51):  # fifty members open a second tab
        await store.seen(7001, f"second-tab-{pk}", presence.reader_of(fake_member(pk)))
    count, readers = await store.snapshot(7001)
    assert count == 150
    assert len(readers) == presence.READERS_SHOWN
    # Closing one of two tabs changes nothing; closing the last one does.
    changed, _version = await store.leave(7001, "second-tab-1")
    assert not changed and (await store.snapshot(7001))[0] == 150
    changed, _version = await store.leave(7001, "tab-1")
    assert changed and (await store.snapshot(7001))[0] == 149
    # Leaving twice (a retried disconnect) is harmless.
    changed, _version = await store.leave(7001, "tab-1")
    assert not changed and (await store.snapshot(7001))[0] == 149


async def test_concurrent_joins_lose_nobody():
    store = presence.store()
    await asyncio.gather(*(
        store.seen(7002, f"tab-{pk}", presence.reader_of(fake_member(pk)))
        for pk in range(1, 201)
    ))
    assert (await store.snapshot(7002))[0] == 200
    await asyncio.gather(*(store.leave(7002, f"tab-{pk}") for pk in range(1, 101)))
    assert (await store.snapshot(7002))[0] == 100


async def test_silent_tabs_expire_and_pings_keep_a_tab_alive(monkeypatch):
    store = presence.store()
    start = time.time()
    monkeypatch.setattr(presence, "now", lambda: start)
    for pk in range(1, 31):
        await store.seen(7003, f"tab-{pk}", presence.reader_of(fake_member(pk)))
    # A minute later only member 1 pings; after the time to live the rest are gone.
    monkeypatch.setattr(presence, "now", lambda: start + 60)
    await store.seen(7003, "tab-1", presence.reader_of(fake_member(1)))
    monkeypatch.setattr(presence, "now", lambda: start + presence.PRESENCE_TTL_S + 1)
    count, readers = await store.snapshot(7003)
    assert count == 1 and [reader["id"] for reader in readers] == [fake_member(1).pk]


async def test_one_announcement_per_interval_across_processes():
    """``claim`` is what every process asks before announcing: the first may send, the
    others wait, and a change already announced by someone else is not sent again."""
    store = presence.store()
    _changed, version = await store.seen(7004, "tab-1", presence.reader_of(fake_member(1)))
    first = await store.claim(7004, version)
    assert first.action == presence.SEND and first.count == 1
    assert first.readers[0]["name"] == "Miembro 001"
    # Another process's change within the interval must wait for the next window...
    _changed, version = await store.seen(7004, "tab-2", presence.reader_of(fake_member(2)))
    second = await store.claim(7004, version)
    assert second.action == presence.WAIT and 0 < second.wait <= presence.PRESENCE_EVERY_S
    # ...and a process whose change the first announcement covered sends nothing.
    assert (await store.claim(7004, 0)).action == presence.COVERED


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL")
async def test_presence_survives_its_redis_connection_being_dropped():
    import redis

    store = presence.store()
    await store.seen(7005, "tab-1", presence.reader_of(fake_member(1)))
    client_id = await store.client().client_id()
    killer = redis.Redis.from_url(settings.REDIS_URL)
    try:
        assert killer.client_kill_filter(_id=client_id) == 1  # as a Redis restart would
    finally:
        killer.close()
    await store.seen(7005, "tab-2", presence.reader_of(fake_member(2)))
    assert (await store.snapshot(7005))[0] == 2


# --- over the socket --------------------------------------------------------------------


async def test_two_hundred_arrivals_cost_a_reader_a_few_presence_frames():
    """The old presence sent every reader the whole list on every join: 200 arrivals
    were 200 frames to each of them. Now they are announced together."""
    debate = await debate_in()
    communicator, _ = await connect(debate.pk, await new_learner(display_name="Ana"))
    await receive_until(communicator, "hello")
    await asyncio.gather(*(
        presence.arrive(debate.pk, f"specific.fake!{pk}", fake_member(pk))
        for pk in range(1, 201)
    ))
    frames = await frames_of(communicator, "presence", 2 * presence.PRESENCE_EVERY_S + 1)
    assert frames[-1]["count"] == 201
    assert len(frames[-1]["readers"]) == presence.READERS_SHOWN
    # Her snapshot on joining, her own arrival, then everyone else's together.
    assert len(frames) <= 4, [frame["count"] for frame in frames]
    await communicator.disconnect()


async def test_a_member_closing_a_tab_is_announced_only_when_gone():
    debate = await debate_in()
    ana = await new_learner(display_name="Ana")
    watcher, _ = await connect(debate.pk, await new_learner(display_name="Vera"))
    tab_one, _ = await connect(debate.pk, ana)
    tab_two, _ = await connect(debate.pk, ana)
    frames = await frames_of(watcher, "presence", presence.PRESENCE_EVERY_S + 1)
    assert frames[-1]["count"] == 2
    await tab_one.disconnect()
    assert [frame["count"] for frame in await frames_of(watcher, "presence", 1)] in ([], [2])
    await tab_two.disconnect()
    frames = await frames_of(watcher, "presence", presence.PRESENCE_EVERY_S + 1)
    assert frames[-1]["count"] == 1 and [r["name"] for r in frames[-1]["readers"]] == ["Vera"]
    await watcher.disconnect()


async def test_an_anonymous_reader_never_sees_a_name():
    """Issue #9 item 3: guests of a public debate see how many read, never who."""
    debate = await debate_in()
    guest, connected = await connect(debate.pk)
    assert connected
    names = ["Ana Andrade", "Bruno Braga"]
    members = []
    for name in names:
        member, _ = await connect(debate.pk, await new_learner(display_name=name))
        await receive_until(member, "hello")
        await member.send_json_to({"type": "typing"})
        members.append(member)
    texts = await outputs_within(guest, presence.PRESENCE_EVERY_S + 1.5)
    events = [json.loads(text) for text in texts]
    counts = [event["count"] for event in events if event["type"] == "presence"]
    assert counts and counts[-1] == 2
    assert all(event["readers"] == [] for event in events if event["type"] == "presence")
    assert "typing" not in {event["type"] for event in events}
    for name in names:
        assert not any(name in text for text in texts)
    # The members, meanwhile, did see each other's names.
    seen = await frames_of(members[0], "presence", 0.5)
    seen += await frames_of(members[0], "presence", presence.PRESENCE_EVERY_S + 0.5)
    assert {reader["name"] for reader in seen[-1]["readers"]} == set(names)
    for communicator in (guest, *members):
        await communicator.disconnect()


async def test_many_typists_make_one_typing_event_a_second():
    debate = await debate_in()
    ana = await new_learner(display_name="Ana")
    communicator, _ = await connect(debate.pk, ana)
    await receive_until(communicator, "hello")
    for pk in range(1, 101):
        presence.typing(debate.pk, fake_member(pk))
    frames = await frames_of(communicator, "typing", 1.5)
    assert 1 <= len(frames) <= 2
    assert sum(frame["count"] for frame in frames) == 100
    assert all(len(frame["typists"]) <= presence.TYPISTS_SHOWN for frame in frames)
    await communicator.disconnect()


async def test_a_ping_brings_back_a_reader_forgotten_after_a_redis_restart():
    debate = await debate_in()
    communicator, _ = await connect(debate.pk, await new_learner(display_name="Ana"))
    await receive_until(communicator, "presence")  # sent once she is counted
    assert (await presence.store().snapshot(debate.pk))[0] == 1
    # What a restart of Redis leaves behind: nobody.
    store = presence.store()
    if settings.REDIS_URL:
        await store.client().delete(*store.keys(debate.pk))
    else:
        store.rooms.clear()
    assert (await presence.store().snapshot(debate.pk))[0] == 0
    await communicator.send_json_to({"type": "ping"})
    await receive_until(communicator, "pong")
    assert (await presence.store().snapshot(debate.pk))[0] == 1
    await communicator.disconnect()
