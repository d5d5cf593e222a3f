"""E-mails of the Agenda, sent through the task system in the person's language, and
the reminder run the scheduler starts every minute.

Each task reads the registration again when it runs: someone who cancelled in the
meantime gets nothing.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from allas_site.accounts.time_zones import zone_of
from allas_site.core.navigation import absolute_url, localized_path
from webinars import calendars

TEMPLATES = "webinars/email"


def _registration(registration_id):
    from webinars.models import Registration

    return (
        Registration.objects.select_related("user", "webinar")
        .filter(pk=registration_id, user__is_active=True).first()
    )


def _page_in(webinar, language):
    """The event as the person reads it: its translation (or alias) in ``language``."""
    from wagtail.models import Locale

    locale = Locale.objects.filter(language_code=language).first()
    if locale is None or locale.pk == webinar.locale_id:
        return webinar
    return webinar.get_translation_or_none(locale) or webinar


def _send(template, registration, *, attach_calendar=True, extra=None):
    user = registration.user
    language = user.preferred_language or registration.language or settings.LANGUAGE_CODE
    # The recipient's profile zone, else the site's: never the zone of whoever's
    # request happened to send it (a cancellation promotes someone else).
    zone = zone_of(user) or timezone.get_default_timezone()
    with translation.override(language), timezone.override(zone):
        page = _page_in(registration.webinar, language)
        url = absolute_url(page) or absolute_url(localized_path("/webinars/"))
        context = {
            "user": user,
            "registration": registration,
            "webinar": page,
            "url": url,
            "dashboard_url": absolute_url(localized_path("/mi-aprendizaje/")),
            "starts_at": timezone.localtime(registration.webinar.starts_at),
            "ends_at": timezone.localtime(registration.webinar.ends_at),
            **(extra or {}),
        }
        subject = render_to_string(f"{TEMPLATES}/{template}_subject.txt", context)
        body = render_to_string(f"{TEMPLATES}/{template}.txt", context)
        message = EmailMessage(
            settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split()),
            body, settings.DEFAULT_FROM_EMAIL, [user.email],
        )
        if attach_calendar:
            # The original's UID and SEQUENCE, the reader's language and address.
            event = registration.webinar
            ics = calendars.event_calendar(event, url=url, attendee=user)
            method = "CANCEL" if event.is_cancelled else "REQUEST"
            message.attach(calendars.filename(page), ics,
                           f"text/calendar; charset=utf-8; method={method}")
    message.send()
    return True


@task()
def send_registration_email(registration_id):
    """Confirmation of a place (with the .ics) or of a waitlist place (its position)."""
    from webinars import services

    registration = _registration(registration_id)
    if registration is None or not registration.is_active:
        return False
    if registration.is_waitlisted:
        position = services.waitlist_position(registration)
        return _send("waitlisted", registration, attach_calendar=False,
                     extra={"position": position})
    return _send("registered", registration)


@task()
def send_promotion_email(registration_id):
    registration = _registration(registration_id)
    if registration is None or not registration.is_registered:
        return False
    return _send("promoted", registration)


@task()
def send_reminder_email(registration_id, kind):
    registration = _registration(registration_id)
    if registration is None or not registration.is_registered:
        return False
    if registration.webinar.is_cancelled:
        return False
    return _send("reminder", registration, attach_calendar=False,
                 extra={"kind": kind, "hours": 24 if kind == "24h" else 1})


@task()
def send_schedule_change_email(registration_id, kind):
    """The editor moved or cancelled the event: the new calendar entry (same UID,
    higher SEQUENCE) or its cancellation."""
    registration = _registration(registration_id)
    if registration is None or not registration.is_active:
        return False
    return _send("cancelled" if kind == "cancelled" else "rescheduled", registration,
                 attach_calendar=registration.is_registered)


@task()
def send_due_reminders():
    """Run by the scheduler every minute (``send_webinar_reminders``)."""
    from webinars import services

    return services.do_send_reminders()
