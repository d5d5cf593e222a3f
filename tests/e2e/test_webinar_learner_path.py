"""A learner's path through an upcoming event in Chromium: log in from the event page,
register in one click, see the confirmation and the status; the confirmation e-mail
carries the event's .ics. A second learner waits for a full event and gets the place
when the first cancels through the page."""

from datetime import timedelta

import pytest
from icalendar import Calendar

from tests import factories as people
from tests.e2e.conftest import TIMEOUT_MS
from tests.webinars import factories
from webinars import calendars
from webinars.models import Registration, RegistrationStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def expect():
    from playwright.sync_api import expect as playwright_expect

    playwright_expect.set_options(timeout=TIMEOUT_MS)
    return playwright_expect


def log_in_from_the_event(page, event_url, user):
    """Anonymous on the event page, "Entra para inscribirte", the login form, and back."""
    page.goto(event_url)
    page.locator("#inscripcion").get_by_role("link", name="Entra para inscribirte").click()
    page.wait_for_url("**/cuentas/login/**")
    form = page.locator("main form").filter(has=page.locator("input[name=password]"))
    form.locator("input[name=login]").fill(user.email)
    form.locator("input[name=password]").fill(people.PASSWORD)
    form.get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_url(f"**{event_url}")


def calendar_attachment(message):
    [(name, content, mimetype)] = message.attachments
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    [event] = Calendar.from_ical(content).walk("VEVENT")
    return event


def test_register_waitlist_and_promotion(page, browser, browser_context, campus_home,
                                         live_server, mailoutbox):
    check = expect()
    agenda = factories.agenda(campus_home)
    event = factories.webinar(agenda, title="Ciudades que se hermanan", capacity=1,
                              starts_in=timedelta(days=4))
    ana = people.learner(display_name="Ana Andrade")
    bruno = people.learner(display_name="Bruno Braga")
    action = page.locator("#inscripcion")

    # Ana logs in from the event and registers in one click.
    log_in_from_the_event(page, event.url, ana)
    check(action).to_contain_text("Queda 1 plaza")
    action.get_by_role("button", name="Inscribirme").click()
    page.wait_for_url(f"**{event.url}#inscripcion")
    check(page.get_by_text("Te has inscrito. Te hemos enviado un correo")).to_be_visible()
    check(action.locator(".event-action__state")).to_have_text("Estás inscrito.")
    check(action).to_contain_text("Completo")
    check(action.get_by_role("button", name="Cancelar mi inscripción")).to_be_visible()

    [confirmation] = [m for m in mailoutbox if m.to == [ana.email]]
    assert "Ciudades que se hermanan" in confirmation.subject
    invitation = calendar_attachment(confirmation)
    assert str(invitation["UID"]) == calendars.event_uid(event)
    assert invitation.decoded("DTSTART") == event.starts_at
    assert invitation.decoded("DTEND") == event.ends_at

    # Bruno, in another browser, finds the event full and joins the waitlist.
    other_context = browser.new_context(base_url=live_server.url, locale="es-ES",
                                        timezone_id="UTC")
    other_context.set_default_timeout(TIMEOUT_MS)
    try:
        page_b = other_context.new_page()
        errors_b = []
        page_b.on("pageerror", lambda error: errors_b.append(str(error)))
        action_b = page_b.locator("#inscripcion")
        log_in_from_the_event(page_b, event.url, bruno)
        action_b.get_by_role("button", name="Apuntarme a la lista de espera").click()
        check(page_b.get_by_text("El evento está completo: estás en la lista de espera, en "
                                 "la posición 1.")).to_be_visible()
        check(action_b.locator(".event-action__state")).to_have_text(
            "Estás en la lista de espera, en la posición 1.")
        assert not [m for m in mailoutbox if m.to == [bruno.email] and m.attachments]

        # Ana cancels through the page; the place goes to Bruno at once.
        page.reload()
        action.get_by_role("button", name="Cancelar mi inscripción").click()
        check(page.get_by_text("Has cancelado tu inscripción.")).to_be_visible()
        check(action.get_by_role("button", name="Inscribirme")).to_have_count(0)
        check(action.get_by_role("button", name="Apuntarme a la lista de espera")).to_be_visible()

        page_b.reload()
        check(action_b.locator(".event-action__state")).to_have_text("Estás inscrito.")
        check(action_b.get_by_role("button", name="Cancelar mi inscripción")).to_be_visible()
        registration = Registration.objects.get(user=bruno)
        assert registration.status == RegistrationStatus.REGISTERED
        assert registration.promoted_at is not None
        [promotion] = [m for m in mailoutbox if m.to == [bruno.email] and m.attachments]
        assert str(calendar_attachment(promotion)["UID"]) == calendars.event_uid(event)
        assert errors_b == []
    finally:
        other_context.close()
    assert Registration.objects.get(user=ana).status == RegistrationStatus.CANCELLED
    assert page.js_errors == []
