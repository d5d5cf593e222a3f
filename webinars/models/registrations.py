"""Places in events, the waitlist, and the secret tokens of personal calendar feeds.

A registration points at the event's original page and at its ``translation_key``
(``webinar_key``): every language's copy of an event shares one list of places. Every
write goes through ``webinars.services``.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from allas_site.core.text import SingleLineCharField
from webinars.models.events import WebinarPage


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Inscrito")
    WAITLISTED = "waitlisted", _("En lista de espera")
    CANCELLED = "cancelled", _("Cancelada")


ACTIVE_STATUSES = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED)


class RegistrationQuerySet(models.QuerySet):
    def for_user(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)

    def for_webinar(self, webinar):
        return self.filter(webinar_key=webinar.translation_key)

    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)

    def registered(self):
        return self.filter(status=RegistrationStatus.REGISTERED)

    def waitlisted(self):
        # First come, first served: the order the waitlist is promoted in.
        return self.filter(status=RegistrationStatus.WAITLISTED).order_by("created_at", "pk")


class Registration(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="webinar_registrations", verbose_name=_("persona"))
    webinar = models.ForeignKey(WebinarPage, on_delete=models.CASCADE,
                                related_name="registrations", verbose_name=_("evento"))
    webinar_key = models.UUIDField(_("clave del evento"), editable=False, db_index=True)
    status = models.CharField(_("estado"), max_length=20, choices=RegistrationStatus.choices,
                              default=RegistrationStatus.REGISTERED)
    # The language the person registered in: their e-mails and calendar use it.
    language = models.CharField(_("idioma"), max_length=8, choices=settings.LANGUAGES,
                                default="es")
    organisation = SingleLineCharField(_("organización"), max_length=200, blank=True)
    city = SingleLineCharField(_("ciudad"), max_length=120, blank=True)
    accessibility_needs = models.TextField(_("necesidades de accesibilidad"), blank=True,
                                           max_length=1000)
    created_at = models.DateTimeField(_("inscripción"), default=timezone.now, db_index=True)
    cancelled_at = models.DateTimeField(_("cancelada"), null=True, blank=True)
    promoted_at = models.DateTimeField(_("sale de la lista de espera"), null=True, blank=True)
    reminder_24h_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminder_1h_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    attended_at = models.DateTimeField(_("asistencia"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("inscripción a un evento")
        verbose_name_plural = _("inscripciones a eventos")
        constraints = [
            # At most one live registration per person and event (any language's copy);
            # cancelled ones stay as history and do not count.
            models.UniqueConstraint(
                fields=["user", "webinar_key"],
                condition=Q(status__in=["registered", "waitlisted"]),
                name="unique_active_webinar_registration",
            ),
        ]
        indexes = [
            models.Index(fields=["webinar_key", "status", "created_at"],
                         name="webinar_reg_status_idx"),
        ]

    def __str__(self):
        return f"{self.user} · {self.webinar} · {self.status}"

    def save(self, *args, **kwargs):
        if self.webinar_key is None and self.webinar_id:
            self.webinar_key = self.webinar.translation_key
        super().save(*args, **kwargs)

    @property
    def is_registered(self):
        return self.status == RegistrationStatus.REGISTERED

    @property
    def is_waitlisted(self):
        return self.status == RegistrationStatus.WAITLISTED

    @property
    def is_active(self):
        return self.status in ACTIVE_STATUSES


def new_calendar_token():
    return secrets.token_urlsafe(24)


class CalendarTokenQuerySet(models.QuerySet):
    def valid(self):
        return self.filter(revoked_at__isnull=True)


class CalendarToken(models.Model):
    """The secret in a person's calendar feed address; revoking it kills the address."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="webinar_calendar_tokens", verbose_name=_("persona"))
    token = models.CharField(_("clave"), max_length=64, unique=True,
                             default=new_calendar_token, editable=False)
    created_at = models.DateTimeField(_("creada"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revocada"), null=True, blank=True)

    objects = CalendarTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("calendario personal")
        verbose_name_plural = _("calendarios personales")

    def __str__(self):
        return f"{self.user} · {self.created_at:%Y-%m-%d}"

    @property
    def is_valid(self):
        return self.revoked_at is None
