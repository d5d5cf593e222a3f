"""Reminders 24 h and 1 h before, with a frozen clock: never twice, never to the
cancelled, and an editor's change of time or cancellation tells every registrant."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone
from icalendar import Calendar

from allas_site.notifications.models import Notification
from tests import factories as people
from tests.webinars import factories
from webinars import calendars, services
from webinars.models import Registration, WebinarStatus


def _event(agenda, start):
    return factories.webinar(agenda, starts_at=start)


def test_24h_then_1h_reminders_each_once(agenda, learner, run_on_commit, mailoutbox):
    start = (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    webinar = _event(agenda, start)
    services.do_register(learner, webinar)
    mailoutbox.clear()
    with run_on_commit():
        assert services.do_send_reminders(start - timedelta(hours=25)) == 0
        assert services.do_send_reminders(start - timedelta(hours=23, minutes=59)) == 1
        assert services.do_send_reminders(start - timedelta(hours=23, minutes=58)) == 0
        assert services.do_send_reminders(start - timedelta(minutes=59)) == 1
        assert services.do_send_reminders(start - timedelta(minutes=30)) == 0
        assert services.do_send_reminders(start + timedelta(minutes=1)) == 0
    assert len(mailoutbox) == 2
    assert all(message.to == [learner.email] for message in mailoutbox)
    assert webinar.title in mailoutbox[0].subject


def test_no_reminder_for_the_cancelled_or_the_waitlist(agenda, run_on_commit, mailoutbox):
    start = (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    webinar = factories.webinar(agenda, starts_at=start, capacity=1)
    first, second, third = people.learner(), people.learner(), people.learner()
    services.do_register(first, webinar)
    services.do_register(second, webinar)
    services.do_register(third, webinar)
    services.do_cancel(third, webinar)  # left the waitlist
    services.do_cancel(first, webinar)  # second is promoted
    mailoutbox.clear()
    with run_on_commit():
        assert services.do_send_reminders(start - timedelta(hours=2)) == 1
    assert [message.to for message in mailoutbox] == [[second.email]]


def test_a_late_registration_gets_only_the_1h_reminder(agenda, learner):
    start = (timezone.now() + timedelta(hours=10)).replace(second=0, microsecond=0)
    webinar = _event(agenda, start)
    services.do_register(learner, webinar)
    assert services.do_send_reminders(start - timedelta(hours=9)) == 0
    assert services.do_send_reminders(start - timedelta(minutes=50)) == 1
    registration = Registration.objects.get(user=learner)
    assert registration.reminder_1h_sent_at and registration.reminder_24h_sent_at


def test_the_command_sends_what_is_due(agenda, learner, mailoutbox, monkeypatch):
    start = (timezone.now() + timedelta(minutes=40)).replace(second=0, microsecond=0)
    webinar = factories.webinar(agenda, starts_at=start)
    Registration.objects.create(user=learner, webinar=webinar, created_at=start - timedelta(days=2))
    out = StringIO()
    call_command("send_webinar_reminders", stdout=out)
    assert "1 webinar reminders" in out.getvalue()
    call_command("send_webinar_reminders", stdout=out)
    assert "0 webinar reminders" in out.getvalue()


def _attached_event(message):
    [(_name, content, mimetype)] = message.attachments
    calendar = Calendar.from_ical(content)
    return calendar, next(iter(calendar.walk("VEVENT"))), mimetype


def test_an_editor_moving_the_event_tells_every_registrant(agenda, run_on_commit, mailoutbox):
    start = (timezone.now() + timedelta(days=5)).replace(second=0, microsecond=0)
    webinar = factories.webinar(agenda, starts_at=start, capacity=1)
    registered, waiting = people.learner(), people.learner()
    services.do_register(registered, webinar)
    services.do_register(waiting, webinar)
    mailoutbox.clear()
    with run_on_commit():
        moved = factories.republish(webinar, starts_at=start + timedelta(days=1),
                                    ends_at=start + timedelta(days=1, hours=1))
    assert moved.sequence == 1
    by_person = {message.to[0]: message for message in mailoutbox}
    assert set(by_person) == {registered.email, waiting.email}
    calendar, event, mimetype = _attached_event(by_person[registered.email])
    assert calendar["METHOD"] == "REQUEST" and "method=REQUEST" in mimetype
    assert str(event["UID"]) == calendars.event_uid(webinar)
    assert event["SEQUENCE"] == 1
    assert event.decoded("DTSTART") == start + timedelta(days=1)
    assert not by_person[waiting.email].attachments  # no place, nothing for the calendar
    assert Notification.objects.filter(kind="webinar.rescheduled").count() == 2


def test_a_reschedule_rearms_the_reminders(agenda, learner):
    start = (timezone.now() + timedelta(hours=20)).replace(second=0, microsecond=0)
    webinar = factories.webinar(agenda, starts_at=start)
    Registration.objects.create(user=learner, webinar=webinar,
                                created_at=start - timedelta(days=3))
    assert services.do_send_reminders() == 1  # the 24 h reminder
    factories.republish(webinar, starts_at=start + timedelta(days=3),
                        ends_at=start + timedelta(days=3, hours=1))
    registration = Registration.objects.get(user=learner)
    assert registration.reminder_24h_sent_at is None


def test_a_cancellation_sends_method_cancel_with_the_same_uid(
    agenda, learner, run_on_commit, mailoutbox
):
    webinar = factories.webinar(agenda)
    services.do_register(learner, webinar)
    mailoutbox.clear()
    with run_on_commit():
        cancelled = factories.republish(webinar, status=WebinarStatus.CANCELLED)
    assert cancelled.sequence == 1
    [message] = mailoutbox
    calendar, event, _mimetype = _attached_event(message)
    assert calendar["METHOD"] == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == calendars.event_uid(webinar) and event["SEQUENCE"] == 1
    assert Notification.objects.get(recipient=learner).kind == "webinar.cancelled"
    assert services.do_send_reminders(webinar.starts_at - timedelta(minutes=30)) == 0


def test_a_draft_change_tells_nobody_and_keeps_the_sequence(agenda, learner, mailoutbox):
    webinar = factories.webinar(agenda)
    services.do_register(learner, webinar)
    mailoutbox.clear()
    draft = webinar.get_latest_revision_as_object()
    draft.starts_at = webinar.starts_at + timedelta(hours=2)
    draft.ends_at = webinar.ends_at + timedelta(hours=2)
    draft.save_revision()
    webinar.refresh_from_db()
    assert webinar.sequence == 0 and mailoutbox == []


def test_the_sequence_stays_with_the_database_not_the_revision(agenda, learner):
    webinar = factories.webinar(agenda)
    moved = factories.republish(webinar, starts_at=webinar.starts_at + timedelta(hours=1),
                                ends_at=webinar.ends_at + timedelta(hours=1))
    assert moved.sequence == 1
    # An edit of the summary only, from a revision saved with SEQUENCE 0.
    again = factories.republish(moved, summary="Otro resumen.")
    assert again.sequence == 1
    english = again.get_translations().get(locale__language_code="en")
    assert english.specific.sequence == 1
