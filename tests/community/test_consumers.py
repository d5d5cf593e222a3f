"""The debate socket: who may join, what it delivers, catch-up by last id, bad input."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client

from allas_site.accounts import roles
from allas_site.asgi import application
from community import services
from tests import factories
from tests.community.factories import CategoryFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


@pytest.fixture(autouse=True)
def _relaxed(settings):
    settings.CAFE_POST_RATE_LIMIT = (1000, 60)


@sync_to_async
def session_cookie_for(user):
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


async def connect(debate_id, user=None):
    headers = [(b"host", b"testserver"), (b"origin", b"http://testserver")]
    if user is not None:
        headers.append((b"cookie", (await session_cookie_for(user)).encode()))
    communicator = WebsocketCommunicator(
        application, f"/ws/cafe/debates/{debate_id}/", headers=headers
    )
    connected, _subprotocol = await communicator.connect()
    return communicator, connected


async def receive_until(communicator, kind, timeout=2):
    while True:
        event = await communicator.receive_json_from(timeout=timeout)
        if event["type"] == kind:
            return event


@sync_to_async
def debate_in(read_access="everyone", post_access="members", approve=False):
    category = CategoryFactory(read_access=read_access, post_access=post_access,
                               approve_first_posts=approve)
    return services.do_start_debate(factories.expert(), category, title="T", body="Apertura")


new_learner = sync_to_async(factories.learner)
new_expert = sync_to_async(factories.expert)
new_moderator = sync_to_async(factories.moderator)
reply = sync_to_async(services.do_create_post)


async def test_a_reader_without_access_is_refused_before_joining():
    debate = await debate_in(read_access="experts", post_access="experts")
    for user in (None, await new_learner()):
        communicator, connected = await connect(debate.pk, user)
        assert not connected
        await communicator.disconnect()
    communicator, connected = await connect(debate.pk, await new_expert())
    assert connected
    await communicator.disconnect()


async def test_a_change_of_roles_shows_on_the_next_connection():
    # The socket reads the member's kept roles, as pages do: a new group retires them.
    debate = await debate_in(read_access="experts", post_access="experts")
    member = await new_learner()
    communicator, connected = await connect(debate.pk, member)
    assert not connected  # refused, and the roles it read are kept now
    await communicator.disconnect()

    @sync_to_async
    def make_expert():
        member.groups.add(Group.objects.get(name=roles.EXPERTS))

    @sync_to_async
    def make_learner_again():
        member.groups.remove(Group.objects.get(name=roles.EXPERTS))

    await make_expert()
    communicator, connected = await connect(debate.pk, member)
    assert connected
    await communicator.disconnect()
    await make_learner_again()
    communicator, connected = await connect(debate.pk, member)
    assert not connected
    await communicator.disconnect()


async def test_an_unknown_debate_is_refused():
    communicator, connected = await connect(999_999, await new_learner())
    assert not connected


async def test_new_posts_arrive_live_with_their_clean_html():
    debate = await debate_in()
    communicator, _connected = await connect(debate.pk)  # anonymous may read a public debate
    hello = await communicator.receive_json_from()
    assert hello == {"type": "hello", "debate": debate.pk, "last_id": debate.last_post_id}
    post = await reply(await new_learner(), debate, "Hola <script>alert(1)</script>")
    event = await receive_until(communicator, "post.created")
    assert event["id"] == post.pk and event["post"]["body_html"] == "<p>Hola alert(1)</p>"
    await communicator.disconnect()


async def test_resume_replays_every_missed_post_exactly_once():
    debate = await debate_in()
    member = await new_learner()
    first = await reply(member, debate, "uno")
    missed = [await reply(member, debate, f"perdido {n}") for n in range(3)]
    communicator, _connected = await connect(debate.pk, member)
    await receive_until(communicator, "hello")
    await communicator.send_json_to({"type": "resume", "last_id": first.pk})
    replayed = []
    while True:
        event = await communicator.receive_json_from()
        if event["type"] == "resume.done":
            break
        if event["type"] == "post.created":
            replayed.append(event["id"])
    assert replayed == [post.pk for post in missed]
    assert event["last_id"] == missed[-1].pk
    await communicator.disconnect()


async def test_resume_leaves_out_the_posts_the_client_has_after_a_gap():
    # A post arrived live after one that did not (a gap): the client keeps last_id
    # before the gap, and when its socket drops before the catch-up ends, the next one
    # asks again from there. The posts it already shows must not come twice.
    debate = await debate_in()
    member = await new_learner()
    first = await reply(member, debate, "uno")
    gap = await reply(member, debate, "perdido")
    shown = await reply(member, debate, "llegó en vivo")
    after = await reply(member, debate, "después")
    communicator, _connected = await connect(debate.pk, member)
    await receive_until(communicator, "hello")
    await communicator.send_json_to({"type": "resume", "last_id": first.pk, "have": [shown.pk]})
    replayed = []
    while (event := await communicator.receive_json_from())["type"] != "resume.done":
        if event["type"] == "post.created":
            replayed.append(event["id"])
    assert replayed == [gap.pk, after.pk]
    assert event["last_id"] == after.pk
    await communicator.disconnect()


@pytest.mark.parametrize("have", ["1,2", [1, "2"], [-1], [True], [10**30], list(range(501)),
                                  {"1": 1}])
async def test_a_bad_have_list_gets_an_error_frame(have):
    debate = await debate_in()
    communicator, _connected = await connect(debate.pk, await new_learner())
    await receive_until(communicator, "hello")
    await communicator.send_json_to({"type": "resume", "last_id": 0, "have": have})
    error = await receive_until(communicator, "error")
    assert error["code"] == "bad_have"
    await communicator.send_json_to({"type": "ping"})  # still open and answering
    await receive_until(communicator, "pong")
    await communicator.disconnect()


async def test_pending_posts_reach_moderators_and_not_readers():
    debate = await debate_in(approve=True)
    reader, _ = await connect(debate.pk, await new_learner())
    moderator, _ = await connect(debate.pk, await new_moderator())
    await receive_until(reader, "hello")
    await receive_until(moderator, "hello")
    newcomer = await new_learner()
    post = await reply(newcomer, debate, "mi primer mensaje")
    assert post.status == "pending"
    event = await receive_until(moderator, "post.pending")
    assert event["id"] == post.pk
    while not await reader.receive_nothing(timeout=0.3):
        assert (await reader.receive_json_from())["type"] in {"presence"}
    # Nor by catch-up.
    await reader.send_json_to({"type": "resume", "last_id": 0})
    events = []
    while (event := await reader.receive_json_from())["type"] != "resume.done":
        events.append(event)
    assert post.pk not in [e.get("id") for e in events if e["type"].startswith("post.")]
    await reader.disconnect()
    await moderator.disconnect()


async def test_typing_and_presence_reach_the_others():
    debate = await debate_in()
    ana, bruno = await new_learner(display_name="Ana"), await new_learner(display_name="Bruno")
    first, _ = await connect(debate.pk, ana)
    await receive_until(first, "hello")
    second, _ = await connect(debate.pk, bruno)
    # Presence is announced at most every couple of seconds: Ana's own arrival first.
    presence = await receive_until(first, "presence", timeout=4)
    while presence["count"] < 2:
        presence = await receive_until(first, "presence", timeout=4)
    assert {reader["name"] for reader in presence["readers"]} == {"Ana", "Bruno"}
    await receive_until(second, "hello")
    await second.send_json_to({"type": "typing"})
    typing = await receive_until(first, "typing", timeout=3)
    assert typing["count"] == 1 and typing["typists"] == [{"id": bruno.pk, "name": "Bruno"}]
    await first.disconnect()
    await second.disconnect()


async def test_anonymous_readers_may_not_send_typing():
    debate = await debate_in()
    communicator, _ = await connect(debate.pk)
    await receive_until(communicator, "hello")
    await communicator.send_json_to({"type": "typing"})
    assert (await receive_until(communicator, "error"))["code"] == "forbidden"
    await communicator.disconnect()


async def test_moving_a_debate_drops_readers_who_lose_access():
    debate = await debate_in()
    communicator, _ = await connect(debate.pk, await new_learner())
    await receive_until(communicator, "hello")
    experts_only = await sync_to_async(CategoryFactory)(read_access="experts")
    await sync_to_async(services.do_move_debate)(await new_moderator(), debate, experts_only)
    output = await communicator.receive_output(timeout=2)
    while output["type"] != "websocket.close":
        output = await communicator.receive_output(timeout=2)
    assert output["code"] == 4403


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("{not json", "malformed_json"),
        ("[1]", "missing_type"),
        ('{"type": "explode"}', "unknown_type"),
        ('{"type": "resume", "last_id": "abc"}', "bad_last_id"),
        ('{"type": "resume", "last_id": -1}', "bad_last_id"),
        ('{"type": "read", "last_id": true}', "bad_last_id"),
        ('{"type": "resume", "last_id": 0, "since": "x"}', "bad_since"),
        ('{"type": "resume", "last_id": 1%s}' % ("0" * 30), "bad_last_id"),  # beyond 64 bits
        ('{"type": "resume", "last_id": 0, "since": 1%s}' % ("0" * 30), "bad_since"),
        ('{"type": "read", "last_id": 1%s}' % ("0" * 30), "bad_last_id"),
    ],
)
async def test_bad_frames_get_an_error_and_the_socket_stays_usable(frame, code):
    debate = await debate_in()
    communicator, _ = await connect(debate.pk, await new_learner())
    await receive_until(communicator, "hello")
    await communicator.send_to(text_data=frame)
    assert (await receive_until(communicator, "error"))["code"] == code
    await communicator.send_json_to({"type": "ping"})
    assert (await receive_until(communicator, "pong"))["type"] == "pong"
    await communicator.disconnect()


async def test_the_pong_names_the_newest_post_so_a_lost_event_is_noticed(monkeypatch):
    """A post whose live event never arrived, with no later post to reveal the gap: the
    next pong names it, and the client resumes (cafe.js compares it with its last id)."""
    debate = await debate_in()
    communicator, _ = await connect(debate.pk, await new_learner())
    await receive_until(communicator, "hello")
    monkeypatch.setattr(services, "send_event_on_commit", lambda *args, **kwargs: None)
    lost = await reply(await new_expert(), debate, "Nadie recibió este aviso")
    await communicator.send_json_to({"type": "ping"})
    pong = await receive_until(communicator, "pong")
    assert pong["last_id"] == lost.pk and pong["seq"] >= 0
    await communicator.disconnect()


# --- catch-up of what changed while away (edits, hides, restores, reactions) -------------


@sync_to_async
def change_seq_of(debate):
    debate.refresh_from_db()
    return debate.change_seq


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


async def test_a_reconnecting_reader_learns_what_changed_while_away():
    debate = await debate_in()
    author, reader, moderator = await new_learner(), await new_learner(), await new_moderator()
    edited, reacted, hidden = [await reply(author, debate, f"mensaje {n}") for n in range(3)]
    since = await change_seq_of(debate)  # what the page embedded
    # Away: an edit, a reaction, a hide, and a post that was hidden before and is restored.
    await sync_to_async(services.do_edit_post)(author, edited, "mensaje corregido")
    await sync_to_async(services.do_toggle_reaction)(reader, reacted, "like")
    await sync_to_async(services.do_hide_post)(moderator, hidden, "spam")
    communicator, _ = await connect(debate.pk, reader)
    await receive_until(communicator, "hello")
    events, done = await resume(communicator, hidden.pk, since)
    by_kind = {}
    for event in events:
        by_kind.setdefault(event["type"], []).append(event)
    updated = {event["id"]: event["post"] for event in by_kind["post.updated"]}
    assert updated[edited.pk]["body_html"] == "<p>mensaje corregido</p>"
    assert updated[edited.pk]["edited"] is True
    reactions = {event["id"]: event["counts"] for event in by_kind["reaction.changed"]}
    assert reactions[reacted.pk] == {"like": 1}
    # A hidden post goes out as its id only, never its text.
    assert by_kind["post.hidden"] == [
        {"type": "post.hidden", "id": hidden.pk, "debate": debate.pk, "replay": True}
    ]
    assert hidden.pk not in updated
    assert "post.created" not in by_kind
    assert done["seq"] == await change_seq_of(debate) and done["last_id"] == hidden.pk

    # Restored while away again: it comes back with its text; nothing else is resent.
    await communicator.disconnect()
    await sync_to_async(services.do_restore_post)(moderator, hidden)
    communicator, _ = await connect(debate.pk, reader)
    await receive_until(communicator, "hello")
    events, done2 = await resume(communicator, hidden.pk, done["seq"])
    assert [(event["type"], event["id"]) for event in events] == [
        ("post.updated", hidden.pk), ("reaction.changed", hidden.pk)
    ]
    assert events[0]["post"]["body_html"] == "<p>mensaje 2</p>"
    assert done2["seq"] > done["seq"]
    # Up to date: nothing to replay.
    events, _done = await resume(communicator, hidden.pk, done2["seq"])
    assert events == []
    await communicator.disconnect()


async def test_catch_up_shows_approved_posts_and_hides_pending_ones_from_others():
    debate = await debate_in(approve=True)
    newcomer, reader, moderator = await new_learner(), await new_learner(), await new_moderator()
    pending = await reply(newcomer, debate, "mi primer mensaje")
    since = await change_seq_of(debate)
    await sync_to_async(services.do_edit_post)(newcomer, pending, "mi primer mensaje, editado")
    communicator, _ = await connect(debate.pk, reader)
    await receive_until(communicator, "hello")
    # Edited while still pending: the reader hears nothing about it.
    events, done = await resume(communicator, pending.pk, since)
    assert events == []
    # Approved while away: its id is below the reader's last id, yet it arrives.
    await sync_to_async(services.do_restore_post)(moderator, pending)
    await communicator.disconnect()
    communicator, _ = await connect(debate.pk, reader)
    await receive_until(communicator, "hello")
    events, _done = await resume(communicator, pending.pk, done["seq"])
    assert events[0]["type"] == "post.updated" and events[0]["id"] == pending.pk
    assert events[0]["post"]["body_html"] == "<p>mi primer mensaje, editado</p>"
    await communicator.disconnect()


async def test_resume_without_since_replays_only_new_posts():
    debate = await debate_in()
    member = await new_learner()
    post = await reply(member, debate, "uno")
    await sync_to_async(services.do_edit_post)(member, post, "dos")
    communicator, _ = await connect(debate.pk, member)
    await receive_until(communicator, "hello")
    events, done = await resume(communicator, post.pk)
    assert events == [] and done["seq"] == await change_seq_of(debate)
    await communicator.disconnect()
