"""Editors change events through Wagtail's page views; these receivers turn a published
change of time or status into the service call that tells the registrants.

``pre_save`` compares the row about to be written with the one in the database (the
live values registrants were told about): only a publication writes those columns, a
draft revision does not. It also keeps SEQUENCE from the database (a revision carries
the value it was saved with) and copies the shared fields of the original onto a
translation. ``page_published`` then calls the service for the change it found.
"""

from django.db.models.signals import pre_save
from wagtail.signals import page_published

from webinars import services
from webinars.models import WebinarPage

SCHEDULE_FIELDS = {"starts_at", "ends_at", "status", "capacity"}


def _before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or not instance.pk:
        return  # a new page has no registrants
    if instance.alias_of_id:
        # Wagtail copies an alias from the original's revision, whose SEQUENCE is the
        # one it was saved with: take the original's current value.
        sequence = (
            WebinarPage.objects.filter(pk=instance.alias_of_id)
            .values_list("sequence", flat=True).first()
        )
        if sequence is not None:
            instance.sequence = sequence
        return
    if update_fields is not None and not SCHEDULE_FIELDS & set(update_fields):
        return
    original = services.original_of(instance)
    if original.pk != instance.pk:
        services.sync_shared_fields(instance, original)
        return
    current = (
        WebinarPage.objects.filter(pk=instance.pk)
        .values("starts_at", "ends_at", "status", "sequence", "capacity", "live").first()
    )
    if current is None:
        return
    instance.sequence = current["sequence"]
    before = (current["starts_at"], current["ends_at"], current["status"])
    change = services.schedule_changed(before, services.schedule_of(instance))
    if change:
        # Calendar clients replace an event only when its SEQUENCE grows.
        instance.sequence += 1
    instance._webinar_change = change if current["live"] else None
    instance._webinar_more_places = current["capacity"] is not None and (
        instance.capacity is None or instance.capacity > current["capacity"]
    )


def _after_publish(sender, instance, **kwargs):
    if kwargs.get("alias") or instance.alias_of_id:
        return
    change = getattr(instance, "_webinar_change", None)
    if change:
        services.do_record_schedule_change(instance, change)
    if getattr(instance, "_webinar_more_places", False) or change == "rescheduled":
        services.do_fill_from_waitlist(instance)
    services.do_sync_translations(instance)


def connect():
    pre_save.connect(_before_save, sender=WebinarPage, dispatch_uid="webinars-before-save")
    page_published.connect(_after_publish, sender=WebinarPage,
                           dispatch_uid="webinars-after-publish")
