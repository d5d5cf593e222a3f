"""The live room page: who gets in and who is told why not, the stream, attendance,
the speaker view, the forms that work without JavaScript, and a pinned query count."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories
from tests.webinars.live_support import make_webinar, register
from webinars import live
from webinars.models import Poll, Question, QuestionVote, Registration

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _relaxed(settings):
    settings.WEBINAR_QUESTION_RATE_LIMIT = (1000, 60)
    settings.WEBINAR_VOTE_RATE_LIMIT = (1000, 60)


@pytest.fixture
def room(home_page):
    moderator, speaker = factories.learner(), factories.expert(display_name="Pilar Ponente")
    webinar = make_webinar(moderator=moderator, speakers=[speaker],
                           stream_embed_url="https://www.youtube-nocookie.com/embed/abc",
                           join_url="https://meet.example.org/sala-allas")
    ana = factories.learner(display_name="Ana")
    register(ana, webinar)
    return webinar, {"moderator": moderator, "speaker": speaker, "ana": ana}


def room_url(webinar):
    return webinar.url + "sala/"


def test_anonymous_visitors_are_sent_to_log_in(client, room):
    webinar, _people = room
    response = client.get(room_url(webinar))
    assert response.status_code == 302 and "/cuentas/" in response["Location"]


def test_people_not_registered_are_told_why_and_how_to_register(client, room):
    webinar, _people = room
    client.force_login(factories.learner())
    response = client.get(room_url(webinar))
    assert response.status_code == 403
    body = response.content.decode()
    assert "La sala es para las personas inscritas en el evento." in body
    assert f'href="{webinar.url}#inscripcion"' in body
    assert "/ws/webinars/" not in body


def test_the_room_is_closed_before_the_half_hour_and_after_the_end(client, home_page):
    ana = factories.learner()
    client.force_login(ana)
    later = make_webinar(starts_in=timedelta(hours=2))
    register(ana, later)
    response = client.get(room_url(later))
    assert response.status_code == 403
    assert "30 minutos antes" in response.content.decode()
    past = make_webinar(starts_in=timedelta(hours=-3))
    register(ana, past)
    assert "ha terminado" in client.get(room_url(past)).content.decode()


def test_a_registered_person_sees_the_stream_the_questions_and_is_counted(client, room):
    webinar, people = room
    live.do_ask(people["moderator"], webinar, "¿Qué ciudades participan?")
    client.force_login(people["ana"])
    response = client.get(room_url(webinar))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<iframe src="https://www.youtube-nocookie.com/embed/abc"' in body
    assert "https://meet.example.org/sala-allas" in body
    assert "¿Qué ciudades participan?" in body
    assert f'data-ws-path="/ws/webinars/{webinar.pk}/sala/"' in body
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    registration = Registration.objects.get(user=people["ana"])
    first = registration.attended_at
    assert first is not None
    client.get(room_url(webinar))
    registration.refresh_from_db()
    assert registration.attended_at == first  # never overwritten


def test_a_stream_the_security_policy_would_block_becomes_a_link(client, room):
    webinar, people = room
    webinar.stream_embed_url = "https://stream.example.net/live/1"
    webinar.save()
    client.force_login(people["ana"])
    body = client.get(room_url(webinar)).content.decode()
    assert "<iframe" not in body
    assert 'href="https://stream.example.net/live/1"' in body


def test_speakers_and_moderators_enter_without_registering(client, room):
    webinar, people = room
    for person in (people["speaker"], people["moderator"], factories.moderator()):
        client.force_login(person)
        assert client.get(room_url(webinar)).status_code == 200
    assert not Registration.objects.filter(attended_at__isnull=False).exists()


def test_asking_voting_and_moderating_without_javascript(client, room):
    webinar, people = room
    client.force_login(people["ana"])
    response = client.post(room_url(webinar), {"action": "ask", "text": "¿Habrá grabación?"})
    assert response.status_code == 302 and response["Location"].endswith("sala/#preguntas")
    question = Question.objects.get()
    assert question.text == "¿Habrá grabación?"
    client.post(room_url(webinar), {"action": "vote", "question": question.pk})
    assert QuestionVote.objects.filter(user=people["ana"]).count() == 1
    # Not a moderator: refused with a message, nothing changed.
    client.post(room_url(webinar), {"action": "moderate", "question": question.pk,
                                    "moderation": "hide"})
    question.refresh_from_db()
    assert question.status == "visible"
    client.force_login(people["moderator"])
    client.post(room_url(webinar), {"action": "moderate", "question": question.pk,
                                    "moderation": "answer"})
    question.refresh_from_db()
    assert question.status == "answered"


def test_a_refused_question_keeps_what_was_typed(client, room):
    webinar, people = room
    client.force_login(people["ana"])
    response = client.post(room_url(webinar), {"action": "ask", "text": "x" * 600})
    assert response.status_code == 400
    body = response.content.decode()
    assert "demasiado larga" in body and "x" * 600 in body
    assert not Question.objects.exists()


def test_polls_without_javascript(client, room):
    webinar, people = room
    client.force_login(people["moderator"])
    client.post(room_url(webinar), {"action": "poll_open", "question": "¿Vienes a Lyon?",
                                    "options": "Sí\nNo\n\n"})
    poll = Poll.objects.get()
    assert [option.text for option in poll.options.all()] == ["Sí", "No"]
    client.force_login(people["ana"])
    body = client.get(room_url(webinar)).content.decode()
    assert "¿Vienes a Lyon?" in body and 'name="option"' in body
    client.post(room_url(webinar), {"action": "poll_vote", "poll": poll.pk,
                                    "option": poll.options.first().pk})
    poll.refresh_from_db()
    assert poll.votes == 1
    # Unknown options are refused; voting twice too.
    client.post(room_url(webinar), {"action": "poll_vote", "poll": poll.pk, "option": "999999"})
    client.post(room_url(webinar), {"action": "poll_vote", "poll": poll.pk,
                                    "option": poll.options.last().pk})
    poll.refresh_from_db()
    assert poll.votes == 1


def test_the_speaker_view_shows_only_open_questions_by_votes(client, room):
    webinar, people = room
    few = live.do_ask(people["ana"], webinar, "Pocos votos")
    many = live.do_ask(people["ana"], webinar, "Muchos votos")
    live.do_toggle_vote(people["moderator"], webinar, many.pk)
    hidden = live.do_ask(people["ana"], webinar, "Pregunta oculta")
    live.do_moderate_question(people["moderator"], webinar, hidden.pk, "hide")
    answered = live.do_ask(people["ana"], webinar, "Ya respondida")
    live.do_moderate_question(people["moderator"], webinar, answered.pk, "answer")
    client.force_login(people["speaker"])
    body = client.get(room_url(webinar) + "?vista=ponente").content.decode()
    assert body.index(many.text) < body.index(few.text)
    assert hidden.text not in body and answered.text not in body


def test_the_room_page_makes_the_same_queries_with_5_and_50_questions(
    client, room, django_assert_max_num_queries
):
    webinar, people = room
    voters = [factories.learner() for _ in range(3)]
    for voter in voters:
        register(voter, webinar)

    def fill(count):
        for n in range(count):
            question = live.do_ask(voters[n % 3], webinar, f"Pregunta {n}")
            live.do_toggle_vote(voters[(n + 1) % 3], webinar, question.pk)

    client.force_login(people["ana"])
    fill(5)
    client.get(room_url(webinar))  # warm: site, locale, roles
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(room_url(webinar))
    fill(45)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(room_url(webinar))


def test_attendance_is_only_recorded_while_the_event_is_live(room):
    webinar, people = room
    assert not live.do_record_attendance(people["ana"], webinar,
                                         now=webinar.starts_at - timedelta(minutes=5))
    assert live.do_record_attendance(people["ana"], webinar, now=timezone.now())
    assert not live.do_record_attendance(people["ana"], webinar, now=timezone.now())


def test_the_room_in_english_is_the_same_room(client, room):
    from wagtail.models import Locale

    webinar, people = room
    english = Locale.objects.get(language_code="en")
    copy = webinar.get_translation_or_none(english)
    if copy is None:  # the synchronised tree makes one; make it when it did not
        agenda = webinar.get_parent().specific
        target = agenda.get_translation_or_none(english) or agenda.copy_for_translation(english)
        copy = webinar.create_alias(parent=target, update_locale=english,
                                    reset_translation_key=False)
    live.do_ask(people["ana"], webinar, "¿Se traduce?")
    client.force_login(people["ana"])
    response = client.get(copy.url + "sala/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Send question" in body and "¿Se traduce?" in body
    assert f'data-ws-path="/ws/webinars/{copy.pk}/sala/"' in body
    response = client.post(copy.url + "sala/", {"action": "ask", "text": "x" * 600})
    assert "The question is too long" in response.content.decode()


def test_a_joining_link_to_the_room_itself_is_not_repeated(client, room):
    webinar, people = room
    webinar.stream_embed_url = ""
    webinar.join_url = "http://127.0.0.1:8000" + room_url(webinar)
    webinar.save()
    client.force_login(people["ana"])
    body = client.get(room_url(webinar)).content.decode()
    assert webinar.join_url not in body
    assert "sigue aquí las preguntas y las encuestas" in body


def test_the_socket_join_is_one_query_and_agrees_with_room_access(
        room, django_assert_num_queries):
    """``live.enter_room`` (the socket's join): one read for someone who attended
    already, one more write the first time; the same answer as ``room_access`` for each
    kind of person."""
    webinar, people = room
    ana = people["ana"]
    with django_assert_num_queries(2):  # the read, then the attendance
        entry = live.enter_room(ana, webinar.pk)
    assert entry.access.allowed and entry.access.registered and not entry.voted_polls
    assert Registration.objects.get(user=ana).attended_at is not None
    question = live.do_ask(ana, webinar, "¿Cuántas ciudades?")
    with django_assert_num_queries(1):
        entry = live.enter_room(ana, webinar.pk)
    assert entry.last_question_id == question.pk
    poll = live.do_open_poll(people["moderator"], webinar, "¿Vienes?", ["Sí", "No"])
    live.do_vote_poll(ana, webinar, poll.pk, poll.options.first().pk)
    with django_assert_num_queries(2):  # the room has polls: the ones Ana voted in
        assert live.enter_room(ana, webinar.pk).voted_polls == {poll.pk}
    platform_moderator, staff = factories.moderator(), factories.learner(is_staff=True)
    waitlisted, stranger = factories.learner(), factories.learner()
    register(waitlisted, webinar, status="waitlisted")
    for person in (ana, people["moderator"], people["speaker"], platform_moderator, staff,
                   waitlisted, stranger):
        fresh = type(person).objects.get(pk=person.pk)  # no cached role names
        assert live.enter_room(fresh, webinar.pk).access == live.room_access(fresh, webinar)
    assert live.enter_room(stranger, 999_999) is None
    assert not live.enter_room(stranger, webinar.pk).access.allowed
