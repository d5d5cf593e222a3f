"""Calendar files: parsed back with the icalendar library."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from tests import factories as people
from tests.webinars import factories
from webinars import calendars, services
from webinars.models import CalendarToken, WebinarStatus


def parse(content):
    calendar = Calendar.from_ical(content)
    return calendar, [c for c in calendar.walk("VEVENT")]


def test_the_event_file_is_an_invitation_with_a_stable_uid(client, webinar):
    response = client.get(webinar.url + "calendario/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert 'filename="' in response["Content-Disposition"]
    calendar, [event] = parse(response.content)
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]) == calendars.event_uid(webinar)
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == webinar.starts_at
    assert event.decoded("DTEND") == webinar.ends_at
    assert str(event["SUMMARY"]) == webinar.title
    assert str(event["STATUS"]) == "CONFIRMED"


def test_every_language_serves_the_same_uid(client, webinar):
    spanish = parse(client.get(webinar.url + "calendario/").content)[1][0]
    english = parse(client.get("/en" + webinar.url + "calendario/").content)[1][0]
    assert spanish["UID"] == english["UID"]
    assert english["URL"].endswith("/en" + webinar.url)


def test_a_cancelled_event_file_says_cancel(client, agenda):
    webinar = factories.webinar(agenda, status=WebinarStatus.CANCELLED)
    calendar, [event] = parse(client.get(webinar.url + "calendario/").content)
    assert calendar["METHOD"] == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"


def test_the_agenda_feed_lists_recent_and_upcoming_events(client, agenda):
    upcoming = factories.webinar(agenda)
    past = factories.webinar(agenda, starts_in=-timedelta(days=10))
    old = factories.webinar(agenda, starts_in=-timedelta(days=400))
    response = client.get("/webinars/agenda.ics")
    assert response.status_code == 200
    calendar, events = parse(response.content)
    assert calendar["METHOD"] == "PUBLISH"
    uids = {str(event["UID"]) for event in events}
    assert calendars.event_uid(upcoming) in uids and calendars.event_uid(past) in uids
    assert calendars.event_uid(old) not in uids


def test_the_personal_feed_holds_the_persons_places(client, agenda, learner):
    mine = factories.webinar(agenda)
    factories.webinar(agenda)  # not registered
    full = factories.webinar(agenda, capacity=1)
    services.do_register(people.learner(), full)
    services.do_register(learner, full)  # waitlisted: not in the calendar
    services.do_register(learner, mine)
    token = services.do_create_calendar_token(learner)
    response = client.get(reverse("webinars:personal_feed", args=[token.token]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    _calendar, events = parse(response.content)
    assert [str(e["UID"]) for e in events] == [calendars.event_uid(mine)]


def test_creating_again_keeps_the_address_and_revoking_kills_it(client, learner):
    token = services.do_create_calendar_token(learner)
    assert services.do_create_calendar_token(learner).pk == token.pk
    url = reverse("webinars:personal_feed", args=[token.token])
    services.do_revoke_calendar_tokens(learner)
    response = client.get(url)
    assert response.status_code == 404
    assert "revocada" in response.content.decode()
    assert services.do_create_calendar_token(learner).token != token.token


@pytest.mark.parametrize("token", ["x", "a" * 30, "é" * 30, "a" * 300])
def test_malformed_or_unknown_tokens_are_404_with_a_reason(client, db, token):
    response = client.get(f"/webinars/calendario/{token}.ics")
    assert response.status_code == 404
    assert response.content  # the reason, not an empty page


def test_calendar_buttons_on_my_learning(client, learner):
    client.force_login(learner)
    response = client.post(reverse("webinars:create_calendar"))
    assert response.status_code == 302
    token = CalendarToken.objects.get(user=learner)
    page = client.get("/mi-aprendizaje/").content.decode()
    assert "webcal://" in page and token.token in page
    client.post(reverse("webinars:revoke_calendar"))
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get(reverse("webinars:create_calendar")).status_code == 405


def test_dtstamp_and_times_are_utc(webinar):
    _calendar, [event] = parse(calendars.event_calendar(webinar, now=timezone.now()))
    assert event.decoded("DTSTART").utcoffset() == timedelta(0)
