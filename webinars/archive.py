"""After the event: what its page shows once it is over (the recording, its chapters,
the questions answered in the live room, the way on to the Café, the attendee's
certificate) and the editors' work with the registrants (the list with attendance,
its export, a message to everyone registered).

``check_*`` validates and checks permission (``WebinarError``, nothing written),
``do_*`` writes in one transaction, ``notify_*`` sends after commit. Reading helpers
use a fixed number of queries whatever the number of registrants or questions.
"""

from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from allas_site.core.navigation import localized_path
from webinars import certificates, services
from webinars.models import (
    Question,
    QuestionStatus,
    RegistrantMessage,
    Registration,
    RegistrationStatus,
)
from webinars.services import WebinarError, original_of

ANSWERED_SHOWN = 50
SUBJECT_MAX = 200
BODY_MAX = 5000

# --- The archive page -----------------------------------------------------------------------


@dataclass(frozen=True)
class Chapter:
    seconds: int
    label: str  # "1:05:30" or "7:00"
    title: str


def time_label(seconds):
    hours, rest = divmod(max(int(seconds), 0), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def chapters_of(page):
    """The recording's chapters in time order (editors may add them in any order)."""
    chapters = [
        Chapter(int(block.value["seconds"] or 0), time_label(block.value["seconds"] or 0),
                block.value["title"])
        for block in page.chapters if block.block_type == "chapter"
    ]
    return sorted(chapters, key=lambda chapter: chapter.seconds)


def player_kind(url):
    """Which player the recording is, for seeking from the chapters: "youtube",
    "vimeo", "self" (a page of the platform, same origin) or "" (unknown: chapters stay
    a list with times)."""
    host = (urlsplit(url).hostname or "").lower()
    if host in {"www.youtube.com", "youtube.com", "www.youtube-nocookie.com"}:
        return "youtube"
    if host == "player.vimeo.com":
        return "vimeo"
    own = (urlsplit(settings.BASE_URL).hostname or "").lower()
    return "self" if host and host == own else ""


def embed_src(url, kind):
    """The player's address; YouTube answers seek commands only with its JS API on."""
    if kind != "youtube" or "enablejsapi=" in url:
        return url
    return url + ("&" if "?" in url else "?") + "enablejsapi=1"


def answered_questions(page):
    """The questions the moderator marked answered, most voted first."""
    return list(
        Question.objects.filter(webinar_key=page.translation_key,
                                status=QuestionStatus.ANSWERED)
        .order_by("-votes", "id")[:ANSWERED_SHOWN]
    )


def cafe_link(page):
    """(label, url): the linked Café debate, or the form that opens one about this
    event."""
    debate = page.related_debate if page.related_debate_id else None
    if debate is not None and hasattr(debate, "get_absolute_url"):
        return _("Seguir la conversación en el Café"), debate.get_absolute_url()
    query = urlencode({"pagina_id": page.pk})
    return _("Abrir un debate sobre este evento en el Café"), (
        f"{localized_path('/cafe/nuevo/')}?{query}"
    )


def archive_context(request, page, now=None):
    """What the archive part of a past event's page needs; ``None`` before the end or
    for a cancelled event."""
    now = now or timezone.now()
    if page.is_cancelled or not page.is_past(now):
        return None
    user = request.user
    recording = page.recording_embed_url
    kind = player_kind(recording) if recording else ""
    attended = certificates.attended_registration(user, page)
    certificate = certificates.certificate_of(user, page) if attended else None
    cafe_label, cafe_url = cafe_link(page)
    page_url = page.get_url(request) or ""
    return {
        "recording_src": embed_src(recording, kind) if recording else "",
        "player": kind,
        "chapters": chapters_of(page),
        "answered": answered_questions(page),
        "cafe_label": cafe_label,
        "cafe_url": cafe_url,
        "attended": attended is not None,
        "certificate": certificate,
        "certificate_url": page_url + "certificado/",
    }


# --- Registrants, for editors ---------------------------------------------------------------


def can_manage_registrants(user, webinar):
    """Editors who may edit the event's page (Wagtail's page permissions)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return original_of(webinar).permissions_for_user(user).can_edit()


def check_can_manage_registrants(user, webinar):
    if not can_manage_registrants(user, webinar):
        raise WebinarError(_("No tienes permiso para ver las inscripciones de este evento."),
                           code="forbidden", status=403)


STATUS_ORDER = {RegistrationStatus.REGISTERED: 0, RegistrationStatus.WAITLISTED: 1,
                RegistrationStatus.CANCELLED: 2}

COLUMNS = [
    ("name", gettext_lazy("Nombre")),
    ("email", gettext_lazy("Correo electrónico")),
    ("status", gettext_lazy("Estado")),
    ("position", gettext_lazy("Posición en la lista de espera")),
    ("registered_at", gettext_lazy("Inscripción")),
    ("attended_at", gettext_lazy("Asistencia")),
    ("organisation", gettext_lazy("Organización")),
    ("city", gettext_lazy("Ciudad")),
    ("accessibility_needs", gettext_lazy("Necesidades de accesibilidad")),
    ("language", gettext_lazy("Idioma")),
]


def _local(value):
    if value is None:
        return ""
    return timezone.localtime(value, timezone.get_default_timezone()).strftime("%Y-%m-%d %H:%M")


def registrant_rows(user, webinar):
    """Every registration of the event (places, waitlist with its position, then
    cancellations), with the answers and attendance. Two queries."""
    check_can_manage_registrants(user, webinar)
    event = original_of(webinar)
    registrations = list(
        Registration.objects.for_webinar(event).select_related("user")
        .order_by("created_at", "pk")
    )
    positions = services.waitlist_positions(registrations)
    registrations.sort(key=lambda r: STATUS_ORDER.get(r.status, 3))
    languages = dict(settings.LANGUAGES)
    return [
        {
            "registration": registration,
            "name": registration.user.get_full_name() or registration.user.public_name,
            "email": registration.user.email,
            "status": registration.get_status_display(),
            "status_code": registration.status,
            "position": positions.get(registration.pk, ""),
            "registered_at": _local(registration.created_at),
            "attended_at": _local(registration.attended_at),
            "attended": registration.attended_at is not None,
            "organisation": registration.organisation,
            "city": registration.city,
            "accessibility_needs": registration.accessibility_needs,
            "language": str(languages.get(registration.language, registration.language)),
        }
        for registration in registrations
    ]


def registrant_table(rows):
    """Header and formula-safe cells for CSV and XLSX (the courses' exporters)."""
    from courses import reports

    return reports.table(COLUMNS, rows)


# --- Message to every registered person ------------------------------------------------------


def check_message(user, webinar, subject, body):
    """An editor may write to the event's registered people; returns the cleaned
    (subject, body). Empty, overlong or multi-line subjects are refused."""
    check_can_manage_registrants(user, webinar)
    subject = subject.strip() if isinstance(subject, str) else ""
    body = body.strip() if isinstance(body, str) else ""
    if not subject:
        raise WebinarError(_("Escribe un asunto."), code="subject")
    if len(subject) > SUBJECT_MAX or any(ord(char) < 32 for char in subject):
        raise WebinarError(
            _("El asunto debe ser una sola línea de %(limit)s caracteres como máximo.")
            % {"limit": SUBJECT_MAX}, code="subject")
    if not body:
        raise WebinarError(_("Escribe el mensaje."), code="body")
    if len(body) > BODY_MAX or "\x00" in body:
        raise WebinarError(_("El mensaje admite como máximo %(limit)s caracteres.")
                           % {"limit": BODY_MAX}, code="body")
    if not Registration.objects.for_webinar(original_of(webinar)).registered().exists():
        raise WebinarError(_("Este evento no tiene personas inscritas a las que escribir."),
                           code="nobody")
    return subject, body


@transaction.atomic
def do_message_registrants(user, webinar, subject, body, *, now=None):
    """Log the message and send it, after commit, through a task to the people
    registered when the task runs (not the waitlist, not cancellations)."""
    subject, body = check_message(user, webinar, subject, body)
    event = original_of(webinar)
    message = RegistrantMessage.objects.create(
        webinar=event, webinar_key=event.translation_key, sender=user, subject=subject,
        body=body, created_at=now or timezone.now(),
    )
    notify_message(message)
    return message


def notify_message(message):
    from webinars import archive_tasks

    transaction.on_commit(
        lambda: archive_tasks.send_registrant_message.enqueue(message.pk), robust=True
    )


def message_log(webinar, limit=20):
    return list(
        RegistrantMessage.objects.filter(webinar_key=webinar.translation_key)
        .select_related("sender")[:limit]
    )


# --- Demo content ------------------------------------------------------------------------------


def load_demo_certificates(stdout):
    """Certificates for the demo attendees of past events (after the Agenda's demo;
    idempotent: an issued certificate is returned, not issued again)."""
    from webinars.models import WebinarPage

    issued = 0
    now = timezone.now()
    for event in WebinarPage.objects.filter(alias_of__isnull=True, ends_at__lt=now).scheduled():
        attendees = (
            Registration.objects.for_webinar(event).filter(attended_at__isnull=False)
            .select_related("user")
        )
        for registration in attendees:
            _certificate, created = certificates.do_issue_participation_certificate(
                registration.user, event, now=now)
            issued += created
    stdout.write(f"Participation certificates: {issued} issued.\n")
