"""After the event its page is its archive: recording, chapters, the questions
answered in the live room, the way on to the Café and the attendee's certificate."""

from datetime import timedelta

import pytest
from django.test import override_settings

from tests.community.factories import DebateFactory
from tests.webinars import factories
from webinars import archive, certificates, services
from webinars.models import Question, QuestionStatus, WebinarStatus

RECORDING = "https://www.youtube-nocookie.com/embed/abc123"
CHAPTERS = [("chapter", {"seconds": 420, "title": "Qué es una red"}),
            ("chapter", {"seconds": 0, "title": "Bienvenida"}),
            ("chapter", {"seconds": 3723, "title": "Preguntas"})]


def past_event(agenda, **fields):
    fields.setdefault("recording_embed_url", RECORDING)
    fields.setdefault("chapters", CHAPTERS)
    return factories.webinar(agenda, starts_in=-timedelta(days=2), **fields)


def ask(event, text, status, author=None, votes=0):
    return Question.objects.create(webinar=event, webinar_key=event.translation_key,
                                   author=author, text=text, status=status, votes=votes)


def test_the_archive_shows_recording_chapters_and_answered_questions(agenda, learner, client):
    event = past_event(agenda)
    ask(event, "¿Cómo se financia una red?", QuestionStatus.ANSWERED, learner, votes=2)
    ask(event, "¿Y la evaluación?", QuestionStatus.ANSWERED, votes=9)
    ask(event, "Una pregunta sin responder", QuestionStatus.VISIBLE)
    ask(event, "Una pregunta oculta", QuestionStatus.HIDDEN)
    html = client.get(event.url).content.decode()
    assert 'id="archivo"' in html
    assert f'src="{RECORDING}?enablejsapi=1"' in html
    # Chapters in time order with their times, readable without JavaScript.
    assert html.index("Bienvenida") < html.index("Qué es una red") < html.index("Preguntas")
    for label in (">0:00<", ">7:00<", ">1:02:03<"):
        assert label in html
    # Answered questions only, the most voted first.
    assert html.index("¿Y la evaluación?") < html.index("¿Cómo se financia una red?")
    assert "Una pregunta sin responder" not in html
    assert "Una pregunta oculta" not in html
    assert f"/cafe/nuevo/?pagina_id={event.pk}" in html
    assert "js/webinar-archive.js" in html


def test_the_player_may_be_framed_by_the_pages_policy(agenda, client):
    response = client.get(past_event(agenda).url)
    policy = response["Content-Security-Policy"]
    frame_src = next(part for part in policy.split(";") if "frame-src" in part)
    assert "https://www.youtube-nocookie.com" in frame_src


def test_the_linked_debate_is_where_the_conversation_goes_on(agenda, client):
    debate = DebateFactory(title="Redes de ciudades: seguimos")
    event = past_event(agenda, related_debate=debate)
    label, url = archive.cafe_link(event)
    assert url == debate.get_absolute_url()
    html = client.get(event.url).content.decode()
    assert url in html and str(label) in html


@pytest.mark.parametrize("when", ["upcoming", "live", "cancelled"])
def test_no_archive_before_the_end_or_for_a_cancelled_event(agenda, client, when):
    if when == "upcoming":
        event = factories.webinar(agenda, recording_embed_url=RECORDING)
    elif when == "live":
        event = factories.webinar(agenda, starts_in=-timedelta(minutes=5),
                                  recording_embed_url=RECORDING)
    else:
        event = past_event(agenda, status=WebinarStatus.CANCELLED)
    html = client.get(event.url).content.decode()
    assert 'id="archivo"' not in html
    assert RECORDING not in html


def test_without_recording_the_page_says_so(agenda, client):
    event = past_event(agenda, recording_embed_url="", chapters=[])
    html = client.get(event.url).content.decode()
    assert 'id="archivo"' in html
    assert "aún no está disponible" in html
    assert "<iframe" not in html


def test_an_attendee_is_offered_the_certificate_then_its_download(agenda, learner, client):
    event = past_event(agenda)
    services.do_import_registration(learner, event, created_at=event.starts_at,
                                    attended_at=event.starts_at + timedelta(minutes=1))
    client.force_login(learner)
    html = client.get(event.url).content.decode()
    assert f'action="{event.url}certificado/"' in html
    certificate, _created = certificates.do_issue_participation_certificate(learner, event)
    html = client.get(event.url).content.decode()
    assert f"/certificados/{certificate.code}/pdf/" in html
    assert "certificado/\"" not in html


def test_someone_who_did_not_attend_is_offered_no_certificate(agenda, learner, client):
    event = past_event(agenda)
    services.do_import_registration(learner, event, created_at=event.starts_at)
    client.force_login(learner)
    html = client.get(event.url).content.decode()
    assert "certificado/" not in html


def test_the_english_tree_shows_the_same_archive(agenda, client):
    event = past_event(agenda)
    ask(event, "¿Cómo se financia una red?", QuestionStatus.ANSWERED)
    alias = event.get_translations().filter(locale__language_code="en").first()
    html = client.get(alias.url).content.decode()
    assert "¿Cómo se financia una red?" in html
    assert "Recording" in html or "Grabación" in html


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://www.youtube.com/embed/x", "youtube"),
        ("https://player.vimeo.com/video/1", "vimeo"),
        ("https://example.org/video", ""),
        ("http://testserver/static/webinars/grabacion-demo.html", "self"),
    ],
)
@override_settings(BASE_URL="http://testserver")
def test_players_that_can_seek(url, kind):
    assert archive.player_kind(url) == kind


def test_time_labels():
    assert [archive.time_label(s) for s in (0, 59, 420, 3600, 3723)] == [
        "0:00", "0:59", "7:00", "1:00:00", "1:02:03"]


def test_the_archive_costs_the_same_queries_with_many_questions(
    agenda, learner, client, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    event = past_event(agenda)
    services.do_import_registration(learner, event, created_at=event.starts_at,
                                    attended_at=event.starts_at)
    client.force_login(learner)
    ask(event, "Una", QuestionStatus.ANSWERED, learner)
    client.get(event.url)
    with CaptureQueriesContext(connection) as few:
        client.get(event.url)
    for number in range(40):
        ask(event, f"Pregunta {number}", QuestionStatus.ANSWERED, learner)
    with django_assert_max_num_queries(len(few)):
        client.get(event.url)


def test_the_public_archive_does_not_name_who_asked(agenda, client):
    from tests import factories as people

    asker = people.learner(display_name="Persona Preguntona")
    event = past_event(agenda)
    ask(event, "¿Cómo se financia una red?", QuestionStatus.ANSWERED, asker)
    html = client.get(event.url).content.decode()
    assert "¿Cómo se financia una red?" in html
    assert "Persona Preguntona" not in html


def test_the_demo_past_events_have_answered_questions_once(home_page, client):
    from io import StringIO

    from allas_site.core.demo import load_people
    from webinars.demo import PAST_QUESTIONS, load_webinars
    from webinars.models import WebinarPage

    load_people(StringIO())
    load_webinars(StringIO())
    load_webinars(StringIO())  # a second run adds nothing
    for slug, asked in PAST_QUESTIONS.items():
        page = WebinarPage.objects.get(slug=slug, locale=home_page.locale)
        questions = list(Question.objects.filter(webinar_key=page.translation_key))
        assert len(questions) == len(asked)
        assert {question.status for question in questions} == {QuestionStatus.ANSWERED}
        assert all(page.starts_at < q.created_at < page.ends_at for q in questions)
        html = client.get(page.url).content.decode()
        most_voted, least_voted = asked[0][1], asked[-1][1]
        assert most_voted in html and html.index(most_voted) < html.index(least_voted)
