"""What remains of an event once it is over: participation certificates and the
editors' messages to registrants.

A participation certificate is a row of ``courses.Certificate`` (one code space, one
verification page ``/certificados/<code>/``, one PDF drawer, one revocation) linked
here to the registration it rewards. The link is unique per registration and per
person and event, so a certificate is never issued twice, whatever the number of
requests at once. Every write goes through ``webinars.archive``.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from allas_site.core.text import SingleLineCharField
from webinars.models.events import WebinarPage
from webinars.models.registrations import Registration


class ParticipationCertificate(models.Model):
    certificate = models.OneToOneField(
        "courses.Certificate", on_delete=models.CASCADE, related_name="participation",
        verbose_name=_("certificado"),
    )
    # Like course certificates, it outlives the account and the registration.
    registration = models.OneToOneField(
        Registration, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="participation_certificate", verbose_name=_("inscripción"),
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="+", verbose_name=_("persona"))
    webinar_key = models.UUIDField(_("clave del evento"), editable=False, db_index=True)

    class Meta:
        verbose_name = _("certificado de participación")
        verbose_name_plural = _("certificados de participación")
        constraints = [
            # Someone who cancelled and registered again still gets one certificate.
            models.UniqueConstraint(fields=["user", "webinar_key"],
                                    name="one_participation_certificate"),
        ]

    def __str__(self):
        return str(self.certificate)


class RegistrantMessage(models.Model):
    """A message an editor sent to an event's registered people (the log of it)."""

    webinar = models.ForeignKey(WebinarPage, on_delete=models.CASCADE,
                                related_name="registrant_messages", verbose_name=_("evento"))
    webinar_key = models.UUIDField(_("clave del evento"), editable=False, db_index=True)
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                               null=True, related_name="+", verbose_name=_("remitente"))
    subject = SingleLineCharField(_("asunto"), max_length=200)
    body = models.TextField(_("mensaje"), max_length=5000)
    created_at = models.DateTimeField(_("creado"), default=timezone.now)
    # Filled in by the task that sends it: who it reached, and when.
    recipients = models.PositiveIntegerField(_("destinatarios"), default=0)
    sent_at = models.DateTimeField(_("enviado"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("mensaje a las personas inscritas")
        verbose_name_plural = _("mensajes a las personas inscritas")

    def __str__(self):
        return self.subject
