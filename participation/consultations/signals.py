"""Keep what only services write when editors publish a revision.

A revision stores every column, ``return_published_at`` included, as it was when the
editor saved it: publishing it after the return was announced would silently take the
consultation back out of its return phase. The database's value wins.
"""

from django.db.models.signals import pre_save

from participation.consultations.models import ConsultationPage


def _keep_return(sender, instance, raw=False, **kwargs):
    if raw or not instance.pk:
        return
    stored = (ConsultationPage.objects.filter(pk=instance.pk)
              .values_list("return_published_at", flat=True).first())
    if stored is not None:
        instance.return_published_at = stored


def connect():
    pre_save.connect(_keep_return, sender=ConsultationPage, dispatch_uid="consultation-return")
