"""The live room socket: who may join, questions and votes live, moderation, polls,
catch-up by last id, bad frames, the flood guard and foreign origins."""

from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async

from tests import factories
from tests.webinars.live_support import (
    connect,
    make_webinar,
    receive_until,
    register,
    resume,
)
from webinars import live, services
from webinars.models import Question, Registration

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


@pytest.fixture(autouse=True)
def _relaxed(settings):
    settings.WEBINAR_QUESTION_RATE_LIMIT = (1000, 60)
    settings.WEBINAR_VOTE_RATE_LIMIT = (1000, 60)


new_learner = sync_to_async(factories.learner)
new_moderator = sync_to_async(factories.moderator)


@sync_to_async
def live_room(**kwargs):
    """A live event with a moderator, a speaker and two registered learners."""
    moderator, speaker = factories.learner(), factories.expert()
    webinar = make_webinar(moderator=moderator, speakers=[speaker], **kwargs)
    ana, bruno = factories.learner(display_name="Ana"), factories.learner(display_name="Bruno")
    register(ana, webinar)
    register(bruno, webinar)
    return webinar, {"moderator": moderator, "speaker": speaker, "ana": ana, "bruno": bruno}


ask = sync_to_async(live.do_ask)
cancel = sync_to_async(services.do_cancel)
vote = sync_to_async(live.do_toggle_vote)
moderate = sync_to_async(live.do_moderate_question)


async def joined(webinar, user):
    communicator, connected = await connect(webinar.pk, user)
    assert connected
    await receive_until(communicator, "hello")
    return communicator


async def test_only_people_of_the_room_may_join():
    webinar, people = await live_room()
    stranger = await new_learner()
    waitlisted = await new_learner()
    await sync_to_async(register)(waitlisted, webinar, status="waitlisted")
    for user in (None, stranger, waitlisted):
        communicator, connected = await connect(webinar.pk, user)
        assert not connected, user
    for role in ("ana", "moderator", "speaker"):
        communicator, connected = await connect(webinar.pk, people[role])
        assert connected, role
        await communicator.disconnect()
    # Staff and the platform's Moderators come in without registering.
    communicator, connected = await connect(webinar.pk, await new_moderator())
    assert connected
    hello = await receive_until(communicator, "hello")
    assert hello["moderator"] is True
    await communicator.disconnect()


async def test_the_room_opens_30_minutes_before_and_closes_at_the_end():
    soon, people = await live_room(starts_in=timedelta(minutes=25))
    communicator, connected = await connect(soon.pk, people["ana"])
    assert connected
    await communicator.disconnect()
    later, people = await live_room(starts_in=timedelta(minutes=40))
    past, past_people = await live_room(starts_in=timedelta(hours=-3))
    for webinar, person in ((later, people["ana"]), (past, past_people["ana"])):
        communicator, connected = await connect(webinar.pk, person)
        assert not connected


async def test_unknown_rooms_and_foreign_origins_are_refused():
    webinar, people = await live_room()
    communicator, connected = await connect(999_999, people["ana"])
    assert not connected
    for origin in (b"http://evil.example", b"http://testserver:8080", b"https://testserver"):
        communicator, connected = await connect(webinar.pk, people["ana"], origin=origin)
        assert not connected, origin


async def test_a_question_reaches_everyone_as_plain_text_and_votes_live():
    webinar, people = await live_room()
    ana, bruno = await joined(webinar, people["ana"]), await joined(webinar, people["bruno"])
    await ana.send_json_to({"type": "ask", "text": "¿Y <b>Quito</b>?<script>x()</script>"})
    asked = await receive_until(ana, "asked")
    event = await receive_until(bruno, "question.created")
    assert event["id"] == asked["id"]
    assert event["question"]["text"] == "¿Y Quito ?x()"  # tags dropped, text kept
    assert event["question"]["author"]["name"] == "Ana" and event["question"]["votes"] == 0
    assert event["prev"] == 0

    # One vote per person: a second vote takes it back.
    await bruno.send_json_to({"type": "vote", "id": event["id"]})
    assert (await receive_until(bruno, "voted")) == {
        "type": "voted", "id": event["id"], "voted": True, "votes": 1}
    assert (await receive_until(ana, "question.voted"))["votes"] == 1
    await bruno.send_json_to({"type": "vote", "id": event["id"]})
    assert (await receive_until(bruno, "voted"))["voted"] is False
    assert (await receive_until(ana, "question.voted"))["votes"] == 0
    await ana.disconnect()
    await bruno.disconnect()


async def test_the_moderator_answers_highlights_and_hides():
    webinar, people = await live_room()
    first = await ask(people["ana"], webinar, "primera")
    second = await ask(people["bruno"], webinar, "segunda")
    moderator = await joined(webinar, people["moderator"])
    ana = await joined(webinar, people["ana"])

    await moderator.send_json_to({"type": "moderate", "id": first.pk, "action": "highlight"})
    assert (await receive_until(ana, "question.updated"))["question"]["highlighted"] is True
    # One question highlighted at a time: the next one takes it.
    await moderator.send_json_to({"type": "moderate", "id": second.pk, "action": "highlight"})
    updates = [await receive_until(ana, "question.updated") for _ in range(2)]
    assert {(u["id"], u["question"]["highlighted"]) for u in updates} == {
        (first.pk, False), (second.pk, True)}

    await moderator.send_json_to({"type": "moderate", "id": first.pk, "action": "answer"})
    assert (await receive_until(ana, "question.updated"))["question"]["status"] == "answered"

    await moderator.send_json_to({"type": "moderate", "id": second.pk, "action": "hide"})
    hidden = await receive_until(ana, "question.hidden")
    assert hidden == {"type": "question.hidden", "id": second.pk}  # never its text
    # Nobody votes for a hidden question; people who are not moderators may not moderate.
    await ana.send_json_to({"type": "vote", "id": second.pk})
    assert (await receive_until(ana, "error"))["code"] == "hidden"
    await ana.send_json_to({"type": "moderate", "id": first.pk, "action": "hide"})
    assert (await receive_until(ana, "error"))["code"] == "forbidden"
    await ana.send_json_to({"type": "moderate", "id": first.pk, "action": "explode"})
    assert (await receive_until(ana, "error"))["code"] == "forbidden"
    await moderator.send_json_to({"type": "moderate", "id": first.pk, "action": "explode"})
    assert (await receive_until(moderator, "error"))["code"] == "bad_action"
    await moderator.disconnect()
    await ana.disconnect()


async def test_a_reconnecting_client_catches_up_from_the_database():
    webinar, people = await live_room()
    seen = await ask(people["ana"], webinar, "vista")
    communicator = await joined(webinar, people["bruno"])
    _events, done = await resume(communicator, 0, 0)
    await communicator.disconnect()
    # Away: two new questions, a vote on the old one, one new one hidden.
    missed = [await ask(people["ana"], webinar, f"perdida {n}") for n in range(2)]
    await vote(people["ana"], webinar, seen.pk)
    hidden = await ask(people["ana"], webinar, "oculta")
    await moderate(people["moderator"], webinar, hidden.pk, "hide")

    communicator = await joined(webinar, people["bruno"])
    events, done2 = await resume(communicator, done["last_id"], done["seq"])
    created = [e["id"] for e in events if e["type"] == "question.created"]
    assert created == [q.pk for q in missed]  # the hidden one is not replayed to learners
    updated = {e["id"]: e["question"] for e in events if e["type"] == "question.updated"}
    assert updated[seen.pk]["votes"] == 1
    assert done2["last_id"] == hidden.pk and done2["seq"] > done["seq"]
    # Up to date: nothing more.
    events, _done = await resume(communicator, done2["last_id"], done2["seq"])
    assert events == []
    await communicator.disconnect()

    # Moderators get the hidden question with its text, to restore it.
    communicator = await joined(webinar, people["moderator"])
    events, _done = await resume(communicator, 0)
    replayed = {e["id"]: e["question"]["status"] for e in events
                if e["type"] == "question.created"}
    assert replayed[hidden.pk] == "hidden"
    await communicator.disconnect()


async def test_polls_show_counts_after_voting_and_to_everyone_once_closed():
    webinar, people = await live_room()
    moderator = await joined(webinar, people["moderator"])
    ana, bruno = await joined(webinar, people["ana"]), await joined(webinar, people["bruno"])
    await moderator.send_json_to({"type": "poll.open", "question": "¿Tu ciudad tiene oficina?",
                                  "options": ["Sí", "No", "En camino"]})
    opened = await receive_until(ana, "poll.opened")
    assert "votes" not in opened["poll"]
    yes = opened["poll"]["options"][0]["id"]
    await ana.send_json_to({"type": "poll.vote", "id": opened["id"], "option": yes})
    assert (await receive_until(ana, "poll.answered"))["option"] == yes
    mine = await receive_until(ana, "poll.voted")
    assert mine["poll"]["votes"] == 1 and mine["poll"]["options"][0]["votes"] == 1
    theirs = await receive_until(bruno, "poll.voted")
    assert "votes" not in theirs["poll"]  # Bruno has not voted: no results yet
    assert (await receive_until(moderator, "poll.voted"))["poll"]["votes"] == 1
    # Once only; unknown options and polls are refused.
    await ana.send_json_to({"type": "poll.vote", "id": opened["id"], "option": yes})
    assert (await receive_until(ana, "error"))["code"] == "already_voted"
    await bruno.send_json_to({"type": "poll.vote", "id": opened["id"], "option": 10**30})
    assert (await receive_until(bruno, "error"))["code"] == "no_option"
    await bruno.send_json_to({"type": "poll.vote", "id": "x", "option": yes})
    assert (await receive_until(bruno, "error"))["code"] == "no_poll"
    await bruno.send_json_to({"type": "poll.close", "id": opened["id"]})
    assert (await receive_until(bruno, "error"))["code"] == "forbidden"

    await moderator.send_json_to({"type": "poll.close", "id": opened["id"]})
    closed = await receive_until(bruno, "poll.closed")
    assert closed["poll"]["status"] == "closed" and closed["poll"]["votes"] == 1
    await bruno.send_json_to({"type": "poll.vote", "id": opened["id"], "option": yes})
    assert (await receive_until(bruno, "error"))["code"] == "poll_closed"
    for communicator in (moderator, ana, bruno):
        await communicator.disconnect()


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("{not json", "malformed_json"),
        ("[1]", "missing_type"),
        ('{"type": "explode"}', "unknown_type"),
        ('{"type": "resume", "last_id": "abc"}', "bad_last_id"),
        ('{"type": "resume", "last_id": 0, "since": -1}', "bad_since"),
        ('{"type": "ask"}', "bad_text"),
        ('{"type": "ask", "text": ["x"]}', "bad_text"),
        ('{"type": "ask", "text": "   <p></p> "}', "empty"),
        ('{"type": "ask", "text": "%s"}' % ("x" * 501), "too_long"),
        ('{"type": "vote", "id": 1%s}' % ("0" * 30), "no_question"),
        ('{"type": "vote", "id": true}', "no_question"),
        ('{"type": "vote"}', "no_question"),
        ('{"type": "poll.open", "question": "x", "options": []}', "forbidden"),
    ],
)
async def test_bad_frames_get_an_error_and_the_socket_stays_usable(frame, code):
    webinar, people = await live_room()
    communicator = await joined(webinar, people["ana"])
    await communicator.send_to(text_data=frame)
    assert (await receive_until(communicator, "error"))["code"] == code
    await communicator.send_json_to({"type": "ping"})
    assert (await receive_until(communicator, "pong"))["type"] == "pong"
    await communicator.disconnect()
    assert await sync_to_async(Question.objects.count)() == 0


async def test_questions_and_votes_are_rate_limited_per_person(settings):
    settings.WEBINAR_QUESTION_RATE_LIMIT = (2, 60)
    settings.WEBINAR_VOTE_RATE_LIMIT = (3, 60)
    webinar, people = await live_room()
    communicator = await joined(webinar, people["ana"])
    for n in range(2):
        await communicator.send_json_to({"type": "ask", "text": f"pregunta {n}"})
        await receive_until(communicator, "asked")
    await communicator.send_json_to({"type": "ask", "text": "una más"})
    error = await receive_until(communicator, "error")
    assert error["code"] == "rate_limited" and error["message"]
    question = await sync_to_async(Question.objects.first)()
    for _ in range(3):
        await communicator.send_json_to({"type": "vote", "id": question.pk})
        await receive_until(communicator, "voted")
    await communicator.send_json_to({"type": "vote", "id": question.pk})
    assert (await receive_until(communicator, "error"))["code"] == "rate_limited"
    # Another person is not slowed down by Ana.
    bruno = await joined(webinar, people["bruno"])
    await bruno.send_json_to({"type": "ask", "text": "la mía"})
    await receive_until(bruno, "asked")
    await communicator.disconnect()
    await bruno.disconnect()
    assert await sync_to_async(Question.objects.count)() == 3


async def test_opening_the_socket_during_the_event_records_attendance_once():
    webinar, people = await live_room()
    communicator = await joined(webinar, people["ana"])
    await communicator.disconnect()
    registration = await sync_to_async(Registration.objects.get)(user=people["ana"])
    first = registration.attended_at
    assert first is not None
    communicator = await joined(webinar, people["ana"])
    await communicator.disconnect()
    await sync_to_async(registration.refresh_from_db)()
    assert registration.attended_at == first
    # Half an hour before the start the room is open, but nobody has attended yet.
    soon, soon_people = await live_room(starts_in=timedelta(minutes=20))
    communicator = await joined(soon, soon_people["ana"])
    await communicator.disconnect()
    assert (await sync_to_async(Registration.objects.get)(user=soon_people["ana"])
            ).attended_at is None


async def test_the_pong_tells_a_client_it_is_behind():
    webinar, people = await live_room()
    communicator = await joined(webinar, people["bruno"])
    question = await ask(people["ana"], webinar, "una")
    await receive_until(communicator, "question.created")
    await communicator.send_json_to({"type": "ping"})
    pong = await receive_until(communicator, "pong")
    assert pong["last_id"] == question.pk and pong["seq"] >= 1
    await communicator.disconnect()


async def test_presence_counts_the_people_in_the_room():
    webinar, people = await live_room()
    ana = await joined(webinar, people["ana"])
    bruno = await joined(webinar, people["bruno"])
    presence = await receive_until(ana, "presence", timeout=4)
    while presence["count"] < 2:
        presence = await receive_until(ana, "presence", timeout=4)
    assert {reader["name"] for reader in presence["readers"]} == {"Ana", "Bruno"}
    await ana.disconnect()
    await bruno.disconnect()


@sync_to_async
def english_copy(webinar):
    from wagtail.models import Locale

    english, _created = Locale.objects.get_or_create(language_code="en")
    existing = webinar.get_translation_or_none(english)
    if existing is not None:  # the synchronised tree made it
        return existing
    agenda = webinar.get_parent().specific
    target = agenda.get_translation_or_none(english) or agenda.copy_for_translation(english)
    return webinar.create_alias(parent=target, update_locale=english,
                                reset_translation_key=False)


async def test_every_language_shares_one_room_and_errors_speak_the_page_language():
    webinar, people = await live_room()
    copy = await english_copy(webinar)
    spanish = await joined(webinar, people["ana"])
    english = await joined(copy, people["bruno"])
    await spanish.send_json_to({"type": "ask", "text": "¿Una sola sala?"})
    assert (await receive_until(english, "question.created"))["question"]["text"] == (
        "¿Una sola sala?")
    await english.send_json_to({"type": "ask", "text": ""})
    assert (await receive_until(english, "error"))["message"] == "The question is empty."
    await spanish.disconnect()
    await english.disconnect()


async def test_a_person_whose_place_is_cancelled_is_sent_out_of_the_room():
    webinar, people = await live_room()
    await sync_to_async(register)(people["speaker"], webinar)  # a speaker with a place too
    ana, second_tab = await joined(webinar, people["ana"]), await joined(webinar, people["ana"])
    bruno = await joined(webinar, people["bruno"])
    speaker = await joined(webinar, people["speaker"])
    await cancel(people["ana"], webinar)
    for socket in (ana, second_tab):
        frame = await receive_until(socket, "access.revoked")
        assert frame["code"] == "cancelled"
        assert frame["message"] == "Tu inscripción se ha cancelado: ya no estás en la sala."
        assert await socket.receive_output(timeout=2) == {"type": "websocket.close",
                                                          "code": 4403}
    # The speaker cancels their place and stays (a speaker may be in the room anyway);
    # the others go on receiving the room's events.
    await cancel(people["speaker"], webinar)
    await bruno.send_json_to({"type": "ask", "text": "¿Seguimos?"})
    await receive_until(bruno, "asked")
    for socket in (bruno, speaker):
        event = await socket.receive_json_from(timeout=2)
        while event["type"] == "presence":
            event = await socket.receive_json_from(timeout=2)
        assert event["type"] == "question.created", event
    # Nor can Ana come back.
    _communicator, connected = await connect(webinar.pk, people["ana"])
    assert not connected
    await bruno.disconnect()
    await speaker.disconnect()


async def test_everyone_is_sent_out_when_the_editor_cancels_the_event():
    from tests.webinars.factories import republish
    from webinars.models import WebinarStatus

    webinar, people = await live_room()
    ana = await joined(webinar, people["ana"])
    speaker = await joined(webinar, people["speaker"])
    await sync_to_async(republish)(webinar, status=WebinarStatus.CANCELLED)
    for socket in (ana, speaker):
        frame = await receive_until(socket, "access.revoked")
        assert frame["code"] == "event_cancelled"
        assert frame["message"] == "Este evento se ha cancelado: la sala está cerrada."
        assert await socket.receive_output(timeout=2) == {"type": "websocket.close",
                                                          "code": 4403}
