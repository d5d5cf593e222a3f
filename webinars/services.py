"""Every write of the Agenda: registrations, the waitlist, calendar tokens, reminders
and the editor's changes of time or status.

``check_*`` validates and checks permission (raises ``WebinarError`` with a sentence for
the person; nothing is written), ``do_*`` writes in one transaction, ``notify_*`` sends
what the change means to people (e-mail through tasks, in-app notifications, socket
events), all after commit.

Capacity is never exceeded: ``do_register`` and ``do_cancel`` lock the event's original
row (``select_for_update``) before counting places, so two people clicking at once are
served one after the other. SQLite has no row locks; its transactions are opened
``IMMEDIATE`` (settings), which serialises writers the same way.
"""

from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from allas_site.core.navigation import absolute_url
from allas_site.core.page_tree import original_page as original_of
from allas_site.notifications.services import do_notify
from allas_site.realtime import send_event_on_commit, user_group
from webinars import live
from webinars.events import ACCESS_REVOKED, attendee_group, room_group
from webinars.models import (
    CalendarToken,
    Registration,
    RegistrationStatus,
    WebinarPage,
    WebinarStatus,
)

# The joining link appears on the event page this long before the start.
JOIN_LINK_LEAD = timedelta(minutes=30)
REMINDERS = {"24h": timedelta(hours=24), "1h": timedelta(hours=1)}
MAX_ANSWER = {"organisation": 200, "city": 120, "accessibility_needs": 1000}

# What every language's copy of an event shares with the original (the page the event
# was created as): times, places, links. Kept in step on every save (``signals``).
SHARED_FIELDS = (
    "format", "status", "starts_at", "ends_at", "languages", "capacity",
    "registration_opens_at", "registration_closes_at", "ask_organisation", "ask_city",
    "ask_accessibility", "venue_map_url", "join_url", "stream_embed_url",
    "recording_embed_url", "sequence", "moderator_id", "series_id",
)


class WebinarError(Exception):
    """A refused action; ``str(error)`` is for the person, ``code`` for programs."""

    def __init__(self, message, code="invalid", status=400):
        super().__init__(message)
        self.code = code
        self.status = status


# --- Reading ------------------------------------------------------------------------------


def active_registration(user, webinar):
    if not getattr(user, "is_authenticated", False):
        return None
    return Registration.objects.for_user(user).for_webinar(webinar).active().first()


def registered_count(webinar):
    return Registration.objects.for_webinar(webinar).registered().count()


def places_left(webinar, registered=None):
    """Free places, or ``None`` when the event has no limit."""
    if webinar.capacity is None:
        return None
    taken = registered_count(webinar) if registered is None else registered
    return max(webinar.capacity - taken, 0)


def waitlist_position(registration):
    """1 for the first person waiting; ``None`` for someone not waiting."""
    if registration is None or not registration.is_waitlisted:
        return None
    ahead = Registration.objects.filter(
        webinar_key=registration.webinar_key, status=RegistrationStatus.WAITLISTED,
    ).filter(
        Q(created_at__lt=registration.created_at)
        | Q(created_at=registration.created_at, pk__lt=registration.pk)
    ).count()
    return ahead + 1


def waitlist_positions(registrations):
    """``{registration pk: position}`` for the waiting ones among ``registrations``, in
    one query whatever their number."""
    keys = {r.webinar_key for r in registrations if r.is_waitlisted}
    if not keys:
        return {}
    positions, counters = {}, {}
    rows = (
        Registration.objects.filter(webinar_key__in=keys, status=RegistrationStatus.WAITLISTED)
        .order_by("created_at", "pk").values_list("pk", "webinar_key")
    )
    for pk, key in rows:
        counters[key] = counters.get(key, 0) + 1
        positions[pk] = counters[key]
    return positions


def registration_counts(keys):
    """``{webinar_key: (registered, waitlisted)}`` for many events in one query."""
    rows = (
        Registration.objects.filter(webinar_key__in=list(keys)).active()
        .values("webinar_key")
        .annotate(
            registered=Count("pk", filter=Q(status=RegistrationStatus.REGISTERED)),
            waiting=Count("pk", filter=Q(status=RegistrationStatus.WAITLISTED)),
        )
    )
    return {row["webinar_key"]: (row["registered"], row["waiting"]) for row in rows}


def registration_window(webinar):
    """(opens, closes): open from publication unless set, until the end of the event
    unless set (a latecomer may still join a webinar that has begun)."""
    return webinar.registration_opens_at, webinar.registration_closes_at or webinar.ends_at


def join_link_visible(webinar, registration, now=None):
    """The joining link is for registered people, from 30 minutes before the start
    until the end."""
    now = now or timezone.now()
    return bool(
        webinar.join_url and registration is not None and registration.is_registered
        and not webinar.is_cancelled
        and webinar.starts_at - JOIN_LINK_LEAD <= now <= webinar.ends_at
    )


def has_verified_email(user):
    return EmailAddress.objects.filter(user=user, email__iexact=user.email,
                                       verified=True).exists()


# --- Registration -------------------------------------------------------------------------


def _when(value):
    local = timezone.localtime(value)
    return f"{date_format(local, 'DATETIME_FORMAT')} ({local.tzname()})"


def check_event_open(webinar, now=None):
    """Refuse an event nobody can register for now (whoever asks)."""
    now = now or timezone.now()
    if not webinar.live:
        raise WebinarError(_("Este evento no está publicado."), code="not_live", status=404)
    if webinar.is_cancelled:
        raise WebinarError(_("Este evento se ha cancelado."), code="cancelled")
    if webinar.is_past(now):
        raise WebinarError(_("Este evento ya ha terminado."), code="past")
    opens, closes = registration_window(webinar)
    if opens and now < opens:
        raise WebinarError(
            _("La inscripción se abre el %(date)s.") % {"date": _when(opens)}, code="not_open"
        )
    if closes and now > closes:
        raise WebinarError(_("La inscripción a este evento está cerrada."), code="closed")


def check_can_register(user, webinar, now=None):
    """``user`` may take a place (or a waitlist place) in ``webinar`` (its original)."""
    if not getattr(user, "is_authenticated", False):
        raise WebinarError(_("Entra en tu cuenta para inscribirte."), code="login", status=401)
    if not user.is_active:
        raise WebinarError(_("Esta cuenta no está activa."), code="inactive", status=403)
    check_event_open(webinar, now)
    existing = active_registration(user, webinar)
    if existing is not None:
        if existing.is_waitlisted:
            raise WebinarError(_("Ya estás en la lista de espera de este evento."),
                               code="already_waitlisted")
        raise WebinarError(_("Ya estás inscrito en este evento."), code="already_registered")
    if not has_verified_email(user):
        raise WebinarError(
            _("Confirma tu dirección de correo electrónico para inscribirte: te hemos "
              "enviado un enlace."),
            code="unverified", status=403,
        )


def clean_answers(webinar, answers):
    """The optional answers the editor asked for, trimmed; others are ignored."""
    answers = answers or {}
    asked = {
        "organisation": webinar.ask_organisation,
        "city": webinar.ask_city,
        "accessibility_needs": webinar.ask_accessibility,
    }
    cleaned = {}
    for field, wanted in asked.items():
        value = answers.get(field, "")
        if not wanted or not isinstance(value, str):
            continue
        value = value.strip()
        if len(value) > MAX_ANSWER[field]:
            raise WebinarError(
                _("La respuesta admite como máximo %(limit)s caracteres.")
                % {"limit": MAX_ANSWER[field]},
                code="answer_too_long",
            )
        cleaned[field] = value
    return cleaned


def _lock(webinar):
    """The original row, locked until the end of the transaction."""
    original = original_of(webinar)
    return WebinarPage.objects.select_for_update().get(pk=original.pk)


@transaction.atomic
def do_register(user, webinar, answers=None, *, now=None, language=None):
    """Register ``user`` (a place, or the waitlist when the event is full). Runs in one
    transaction holding the event's lock; e-mails leave after commit."""
    now = now or timezone.now()
    event = _lock(webinar)
    check_can_register(user, event, now)
    cleaned = clean_answers(event, answers)
    full = event.capacity is not None and registered_count(event) >= event.capacity
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                user=user, webinar=event, webinar_key=event.translation_key,
                status=RegistrationStatus.WAITLISTED if full else RegistrationStatus.REGISTERED,
                language=(language or translation.get_language() or "es")[:8].split("-")[0],
                created_at=now, **cleaned,
            )
    except IntegrityError as error:  # a second request of the same person won the race
        raise WebinarError(_("Ya estás inscrito en este evento."),
                           code="already_registered") from error
    notify_registered(registration)
    return registration


@transaction.atomic
def do_import_registration(user, webinar, *, created_at, attended_at=None):
    """Record a place someone had in a past event (imports, demo content): no date or
    capacity checks and no e-mails, as the event is over."""
    event = _lock(webinar)
    return Registration.objects.create(
        user=user, webinar=event, webinar_key=event.translation_key,
        status=RegistrationStatus.REGISTERED, created_at=created_at, attended_at=attended_at,
        language=user.preferred_language or "es",
    )


def check_can_cancel(user, registration):
    if registration is None or not getattr(user, "is_authenticated", False):
        raise WebinarError(_("No tienes ninguna inscripción en este evento."), code="none")
    if registration.user_id != user.pk:
        raise WebinarError(_("Esta inscripción no es tuya."), code="forbidden", status=403)
    if not registration.is_active:
        raise WebinarError(_("Esta inscripción ya estaba cancelada."), code="already_cancelled")


@transaction.atomic
def do_cancel(user, webinar, *, now=None):
    """Cancel ``user``'s place or waitlist place; a freed place goes at once, in the
    same transaction, to the first person waiting (who is told after commit)."""
    now = now or timezone.now()
    event = _lock(webinar)
    registration = (
        Registration.objects.select_for_update().for_user(user).for_webinar(event).active()
        .first()
    )
    check_can_cancel(user, registration)
    was_registered = registration.is_registered
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    registration.save(update_fields=["status", "cancelled_at"])
    promoted = _fill_from_waitlist(event, now) if was_registered else []
    notify_cancelled(registration)
    if was_registered:
        notify_room_access_lost(user, event, now)
    return registration, promoted


def _fill_from_waitlist(event, now):
    """Promote waiting people while there are free places (the caller holds the lock)."""
    if event.is_cancelled or event.is_past(now):
        return []
    free = places_left(event)
    if free is not None and free <= 0:
        return []
    waiting = Registration.objects.for_webinar(event).waitlisted().select_related("user")
    promoted = list(waiting if free is None else waiting[:free])
    for registration in promoted:
        registration.status = RegistrationStatus.REGISTERED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at"])
        notify_promoted(registration, event)
    return promoted


@transaction.atomic
def do_fill_from_waitlist(webinar, *, now=None):
    """After an editor raises the capacity (or removes it): give the new places to the
    people waiting, first come first served."""
    return _fill_from_waitlist(_lock(webinar), now or timezone.now())


# --- Notifications ------------------------------------------------------------------------


def _event_url(event, language):
    """The event in ``language``'s tree (translation or alias), absolute."""
    from wagtail.models import Locale

    page = event
    locale = Locale.objects.filter(language_code=language).first()
    if locale is not None and locale.pk != event.locale_id:
        page = event.get_translation_or_none(locale) or event
    return absolute_url(page) or absolute_url("/webinars/")


def notify_registered(registration):
    from webinars import tasks

    transaction.on_commit(
        lambda: tasks.send_registration_email.enqueue(registration.pk), robust=True
    )
    send_event_on_commit(user_group(registration.user_id),
                         {"type": "registration.created", "id": registration.pk})


def notify_cancelled(registration):
    send_event_on_commit(user_group(registration.user_id),
                         {"type": "registration.cancelled", "id": registration.pk})


def notify_room_access_lost(user, event, now=None):
    """After commit, ``user``'s sockets in the event's live room close (every action
    there re-checks access, but an open socket would go on receiving the room's
    events). Nothing is sent to a speaker or moderator, who stays in the room."""
    # Sockets exist only while the room is open; a speaker or moderator stays.
    if not live.is_open(event, now) or live.room_access(user, event, now).allowed:
        return
    send_event_on_commit(attendee_group(event.translation_key, user.pk),
                         {"type": ACCESS_REVOKED, "id": event.pk, "code": "cancelled"})


def notify_promoted(registration, event):
    """In-app notification now (same transaction), e-mail with the calendar after commit."""
    from webinars import tasks

    user = registration.user
    language = user.preferred_language or registration.language
    with translation.override(language):
        title = _("Tienes plaza en «%(title)s»: ya no estás en lista de espera.") % {
            "title": event.title}
        do_notify(user, kind="webinar.promoted", title=title,
                  url=_event_url(event, language))
    transaction.on_commit(
        lambda: tasks.send_promotion_email.enqueue(registration.pk), robust=True
    )


# --- Calendar tokens ----------------------------------------------------------------------


def valid_calendar_token(user):
    if not getattr(user, "is_authenticated", False):
        return None
    return CalendarToken.objects.valid().filter(user=user).first()


@transaction.atomic
def do_create_calendar_token(user):
    """The person's feed address: the valid one, or a new one."""
    if not getattr(user, "is_authenticated", False):
        raise WebinarError(_("Entra en tu cuenta para crear tu calendario."), code="login",
                           status=401)
    existing = valid_calendar_token(user)
    return existing or CalendarToken.objects.create(user=user)


@transaction.atomic
def do_revoke_calendar_tokens(user, *, now=None):
    """Kill every feed address of ``user``; calendars subscribed to them stop updating."""
    return CalendarToken.objects.valid().filter(user=user).update(
        revoked_at=now or timezone.now()
    )


def feed_owner(token):
    """``(user, None)`` for a valid token, ``(None, reason)`` otherwise."""
    if not isinstance(token, str) or not 20 <= len(token) <= 64 or not token.isascii():
        return None, _("Esta dirección de calendario no es válida.")
    found = CalendarToken.objects.select_related("user").filter(token=token).first()
    if found is None:
        return None, _("Esta dirección de calendario no existe.")
    if not found.is_valid:
        return None, _("Esta dirección de calendario fue revocada; crea una nueva en «Mi "
                       "aprendizaje».")
    if not found.user.is_active:
        return None, _("Esta cuenta no está activa.")
    return found.user, None


# --- Reminders ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Reminder:
    registration_id: int
    kind: str


def due_reminders(now=None):
    """The reminders to send now: registered people of scheduled, published events
    starting within 24 h (or 1 h) who registered before that mark and were not yet
    reminded. Someone who registers 10 h before gets only the 1 h reminder."""
    now = now or timezone.now()
    base = Registration.objects.registered().filter(
        webinar__live=True, webinar__status=WebinarStatus.SCHEDULED,
        webinar__starts_at__gt=now, user__is_active=True,
    )
    due = []
    for kind, lead in REMINDERS.items():
        field = f"reminder_{kind}_sent_at"
        window = base.filter(webinar__starts_at__lte=now + lead, **{f"{field}__isnull": True})
        for pk, starts_at, created_at in window.values_list(
            "pk", "webinar__starts_at", "created_at"
        ):
            if created_at <= starts_at - lead:
                due.append(Reminder(pk, kind))
    # The 1 h reminder makes a late 24 h one pointless.
    hour = {r.registration_id for r in due if r.kind == "1h"}
    return [r for r in due if r.kind == "1h" or r.registration_id not in hour]


def do_send_reminders(now=None):
    """Claim and send every due reminder; each is marked sent by a conditional update
    before its e-mail is queued, so two schedulers never send it twice. Returns the
    number queued."""
    from webinars import tasks

    now = now or timezone.now()
    sent = 0
    for reminder in due_reminders(now):
        field = f"reminder_{reminder.kind}_sent_at"
        with transaction.atomic():
            claimed = Registration.objects.filter(
                pk=reminder.registration_id, status=RegistrationStatus.REGISTERED,
                **{f"{field}__isnull": True},
            ).update(**{field: now})
            if reminder.kind == "1h":
                Registration.objects.filter(
                    pk=reminder.registration_id, reminder_24h_sent_at__isnull=True
                ).update(reminder_24h_sent_at=now)
            if claimed:
                sent += 1
                transaction.on_commit(
                    lambda r=reminder: tasks.send_reminder_email.enqueue(
                        r.registration_id, r.kind),
                    robust=True,
                )
    return sent


# --- The editor's changes -----------------------------------------------------------------


def schedule_of(webinar):
    return (webinar.starts_at, webinar.ends_at, webinar.status)


def schedule_changed(before, after):
    """``"cancelled"``, ``"rescheduled"`` or ``None`` between two ``schedule_of``."""
    if before is None or before == after:
        return None
    if after[2] == WebinarStatus.CANCELLED:
        return None if before[2] == WebinarStatus.CANCELLED else "cancelled"
    if before[0:2] != after[0:2] or before[2] != after[2]:
        return "rescheduled"
    return None


@transaction.atomic
def do_record_schedule_change(webinar, change, *, now=None):
    """The editor published a new time or a cancellation (``webinar`` is the original,
    already saved with its higher SEQUENCE): reminders are re-armed for the new time,
    a restored event refills from its waitlist, and every registrant (places and
    waitlist) is told after commit with the updated calendar."""
    from webinars import tasks

    now = now or timezone.now()
    event = _lock(webinar)
    active = Registration.objects.for_webinar(event).active()
    if change == "rescheduled":
        # A reminder already sent for the old time says nothing true about the new one.
        if event.starts_at - REMINDERS["24h"] > now:
            active.update(reminder_24h_sent_at=None)
        if event.starts_at - REMINDERS["1h"] > now:
            active.update(reminder_1h_sent_at=None)
    ids = list(active.values_list("pk", flat=True))
    kind = change
    if change == "cancelled":
        # Whoever is in the live room (speakers and staff too) is told and sent out.
        send_event_on_commit(room_group(event.translation_key),
                             {"type": ACCESS_REVOKED, "id": event.pk, "code": "event_cancelled"},
                             code="event_cancelled")
    transaction.on_commit(
        lambda: [tasks.send_schedule_change_email.enqueue(pk, kind) for pk in ids],
        robust=True,
    )
    for registration in active.select_related("user"):
        language = registration.user.preferred_language or registration.language
        with translation.override(language):
            if change == "cancelled":
                title = _("Se ha cancelado «%(title)s».") % {"title": event.title}
            else:
                title = _("Cambio de horario en «%(title)s»: %(date)s.") % {
                    "title": event.title, "date": _when(event.starts_at)}
            do_notify(registration.user, kind=f"webinar.{change}", title=title,
                      url=_event_url(event, language))
    return ids


def sync_shared_fields(page, original):
    """Copy onto a translation (``page``) what it shares with ``original``."""
    for name in SHARED_FIELDS:
        setattr(page, name, getattr(original, name))


def do_sync_translations(webinar):
    """Write the original's shared fields onto its real translations (aliases are
    copied by Wagtail). A no-op for a translation."""
    original = original_of(webinar)
    if original.pk != webinar.pk:
        return 0
    values = {name: getattr(original, name) for name in SHARED_FIELDS}
    return (
        WebinarPage.objects.filter(translation_key=original.translation_key)
        .exclude(pk=original.pk).update(**values)
    )
