"""Registration, waitlist and cancellation through the services."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from wagtail.models import Locale

from allas_site.notifications.models import Notification
from tests import factories as people
from tests.webinars import factories
from webinars import services
from webinars.models import Registration, RegistrationStatus, WebinarPage, WebinarStatus


def test_one_click_registration_sends_the_confirmation_with_the_calendar(
    webinar, learner, run_on_commit, mailoutbox
):
    with run_on_commit():
        registration = services.do_register(learner, webinar)
    assert registration.status == RegistrationStatus.REGISTERED
    assert registration.webinar_key == webinar.translation_key
    [message] = mailoutbox
    assert message.to == [learner.email]
    assert webinar.title in message.subject
    [(name, content, mimetype)] = message.attachments
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    assert "METHOD:REQUEST" in str(content)


def test_registering_twice_is_refused_and_changes_nothing(webinar, learner):
    services.do_register(learner, webinar)
    with pytest.raises(services.WebinarError) as error:
        services.do_register(learner, webinar)
    assert error.value.code == "already_registered"
    assert Registration.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"status": WebinarStatus.CANCELLED}, "cancelled"),
        ({"starts_in": -timedelta(days=2)}, "past"),
        ({"registration_closes_at": timezone.now() - timedelta(hours=1)}, "closed"),
        ({"registration_opens_at": timezone.now() + timedelta(days=1)}, "not_open"),
    ],
)
def test_refusals_are_clear_and_write_nothing(agenda, learner, fields, code):
    webinar = factories.webinar(agenda, **fields)
    with pytest.raises(services.WebinarError) as error:
        services.do_register(learner, webinar)
    assert error.value.code == code
    assert str(error.value)  # a sentence for the person
    assert not Registration.objects.exists()


def test_an_unconfirmed_email_cannot_register(webinar):
    user = people.learner(verified=False)
    assert not EmailAddress.objects.filter(user=user, verified=True).exists()
    with pytest.raises(services.WebinarError) as error:
        services.do_register(user, webinar)
    assert error.value.code == "unverified"
    assert not Registration.objects.exists()


def test_an_anonymous_visitor_is_asked_to_log_in(webinar):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(services.WebinarError) as error:
        services.do_register(AnonymousUser(), webinar)
    assert error.value.code == "login"


def test_an_unpublished_event_is_refused(agenda, learner):
    webinar = factories.webinar(agenda, publish=False)
    with pytest.raises(services.WebinarError) as error:
        services.do_register(learner, webinar)
    assert error.value.code == "not_live"


def test_a_full_event_puts_people_on_the_waitlist_in_order(agenda):
    webinar = factories.webinar(agenda, capacity=2)
    users = [people.learner() for _ in range(5)]
    registrations = [services.do_register(user, webinar) for user in users]
    assert [r.status for r in registrations] == ["registered"] * 2 + ["waitlisted"] * 3
    assert [services.waitlist_position(r) for r in registrations[2:]] == [1, 2, 3]
    assert services.waitlist_positions(registrations) == {
        registrations[2].pk: 1, registrations[3].pk: 2, registrations[4].pk: 3}
    assert services.places_left(webinar) == 0


def test_a_cancellation_promotes_the_first_person_waiting_who_is_told(
    agenda, run_on_commit, mailoutbox
):
    webinar = factories.webinar(agenda, capacity=1)
    first, second, third = people.learner(), people.learner(), people.learner()
    services.do_register(first, webinar)
    waiting = services.do_register(second, webinar)
    services.do_register(third, webinar)
    mailoutbox.clear()
    with run_on_commit():
        cancelled, promoted = services.do_cancel(first, webinar)
    assert cancelled.status == RegistrationStatus.CANCELLED and cancelled.cancelled_at
    assert [r.pk for r in promoted] == [waiting.pk]
    waiting.refresh_from_db()
    assert waiting.is_registered and waiting.promoted_at is not None
    assert services.registered_count(webinar) == 1  # never above capacity
    notification = Notification.objects.get(recipient=second)
    assert notification.kind == "webinar.promoted" and webinar.title in notification.title
    [message] = mailoutbox
    assert message.to == [second.email] and message.attachments
    third_registration = Registration.objects.get(user=third)
    assert services.waitlist_position(third_registration) == 1


def test_leaving_the_waitlist_promotes_nobody(agenda):
    webinar = factories.webinar(agenda, capacity=1)
    first, second = people.learner(), people.learner()
    services.do_register(first, webinar)
    services.do_register(second, webinar)
    _cancelled, promoted = services.do_cancel(second, webinar)
    assert promoted == []
    assert Registration.objects.get(user=first).is_registered


def test_cancelling_without_a_registration_is_refused(webinar, learner):
    with pytest.raises(services.WebinarError) as error:
        services.do_cancel(learner, webinar)
    assert error.value.code == "none"


def test_after_cancelling_one_may_register_again(webinar, learner):
    services.do_register(learner, webinar)
    services.do_cancel(learner, webinar)
    again = services.do_register(learner, webinar)
    assert again.is_registered
    assert Registration.objects.filter(user=learner).count() == 2


def test_registering_from_another_language_counts_for_the_same_event(agenda, learner):
    webinar = factories.webinar(agenda, capacity=1)
    english = WebinarPage.objects.get(
        translation_key=webinar.translation_key, locale=Locale.objects.get(language_code="en")
    )
    assert english.alias_of_id == webinar.pk
    registration = services.do_register(learner, english, language="en")
    assert registration.webinar_id == webinar.pk  # the original holds the places
    assert registration.language == "en"
    with pytest.raises(services.WebinarError):
        services.do_register(learner, webinar)
    other = services.do_register(people.learner(), webinar)
    assert other.is_waitlisted


def test_only_the_questions_the_editor_asked_are_kept(agenda, learner):
    webinar = factories.webinar(agenda, ask_city=True)
    registration = services.do_register(
        learner, webinar, {"city": "  Quito ", "organisation": "Ignored", "accessibility_needs": 3}
    )
    assert registration.city == "Quito"
    assert registration.organisation == ""


def test_an_oversized_answer_is_refused(agenda, learner):
    webinar = factories.webinar(agenda, ask_organisation=True)
    with pytest.raises(services.WebinarError) as error:
        services.do_register(learner, webinar, {"organisation": "x" * 201})
    assert error.value.code == "answer_too_long"
    assert not Registration.objects.exists()


def test_raising_the_capacity_gives_the_new_places_to_the_waitlist(agenda):
    webinar = factories.webinar(agenda, capacity=1)
    users = [people.learner() for _ in range(3)]
    for user in users:
        services.do_register(user, webinar)
    factories.republish(webinar, capacity=2)
    statuses = list(Registration.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == ["registered", "registered", "waitlisted"]


def test_join_link_only_for_registered_people_from_30_minutes_before(agenda, learner):
    webinar = factories.webinar(agenda, join_url="https://meet.example.org/x")
    registration = services.do_register(learner, webinar)
    early = webinar.starts_at - timedelta(minutes=31)
    assert not services.join_link_visible(webinar, registration, early)
    assert services.join_link_visible(webinar, registration, early + timedelta(minutes=2))
    assert not services.join_link_visible(webinar, None, early + timedelta(minutes=2))
    assert not services.join_link_visible(webinar, registration,
                                          webinar.ends_at + timedelta(minutes=1))
