"""Participation certificates: an attendee's proof of having taken part in an event.

They are ``courses.Certificate`` rows of kind "participation" (one code space, the
verification page ``/certificados/<code>/``, the PDF drawer, revocation and the list
in "Mi aprendizaje" are the courses' own), linked to the registration by
``ParticipationCertificate``, whose unique constraints make a second issue impossible:
two requests at once end with one certificate, the loser reading the winner's.

``check_*`` raises ``WebinarError`` with a sentence for the person and writes nothing;
``do_*`` writes in one transaction; ``notify_*`` tells the person.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.models import Locale

from allas_site.notifications.services import do_notify
from courses.models import Certificate, CertificateKind
from webinars.models import ParticipationCertificate, Registration
from webinars.services import WebinarError, original_of


def certificate_of(user, webinar):
    """The person's participation certificate for the event, or ``None``."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Certificate.objects.filter(participation__user=user,
                                   participation__webinar_key=webinar.translation_key)
        .first()
    )


def attended_registration(user, webinar):
    """The registration with which ``user`` attended the event (any status: someone
    who attended and cancelled afterwards still attended)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Registration.objects.for_user(user).for_webinar(webinar)
        .filter(attended_at__isnull=False).order_by("attended_at", "pk").first()
    )


def check_can_get_certificate(user, webinar, now=None):
    """``user`` may have a participation certificate for ``webinar``: logged in, the
    event over and not cancelled, and attendance recorded. Returns the registration."""
    now = now or timezone.now()
    if not getattr(user, "is_authenticated", False):
        raise WebinarError(_("Entra en tu cuenta para obtener tu certificado."), code="login",
                           status=401)
    if not user.is_active:
        raise WebinarError(_("Esta cuenta no está activa."), code="inactive", status=403)
    if webinar.is_cancelled:
        raise WebinarError(_("Este evento se canceló: no tiene certificados de participación."),
                           code="cancelled")
    if not webinar.is_past(now):
        raise WebinarError(_("El certificado estará disponible cuando termine el evento."),
                           code="not_over")
    registration = attended_registration(user, webinar)
    if registration is None:
        raise WebinarError(
            _("El certificado de participación es para las personas que asistieron al "
              "evento, y no consta tu asistencia."),
            code="not_attended", status=403,
        )
    return registration


def _title_in(event, language):
    """The event's title in the person's language (its translation), else the original."""
    locale = Locale.objects.filter(language_code=language).first()
    if locale is not None and locale.pk != event.locale_id:
        translated = event.get_translation_or_none(locale)
        if translated is not None and not translated.alias_of_id:
            return translated.title
    return event.title


@transaction.atomic
def do_issue_participation_certificate(user, webinar, *, now=None):
    """Issue ``user``'s certificate for ``webinar`` once; later calls return the same
    one. Returns ``(certificate, created)``. The event's date is the day it started in
    the site's zone, like ``Certificate.issued_on``."""
    now = now or timezone.now()
    event = original_of(webinar)
    registration = check_can_get_certificate(user, event, now)
    existing = certificate_of(user, event)
    if existing is not None:
        return existing, False
    language = user.preferred_language or registration.language or translation.get_language()
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(
                kind=CertificateKind.PARTICIPATION,
                learner_name=user.get_full_name() or user.public_name,
                course_title=_title_in(event, language),
                held_on=timezone.localdate(event.starts_at, timezone.get_default_timezone()),
                issued_at=now,
            )
            ParticipationCertificate.objects.create(
                certificate=certificate, registration=registration, user=user,
                webinar_key=event.translation_key,
            )
    except IntegrityError:
        # Another request issued it in the meantime: theirs is the certificate.
        return certificate_of(user, event), False
    notify_certificate_issued(user, certificate, language)
    return certificate, True


def notify_certificate_issued(user, certificate, language):
    with translation.override(language):
        do_notify(
            user, kind="certificate",
            title=_("Tu certificado de participación en «%(title)s» está listo")
            % {"title": certificate.course_title},
            url=certificate.get_absolute_url(),
        )
