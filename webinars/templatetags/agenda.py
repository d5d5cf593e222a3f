"""Times of the Agenda: ``<time>`` elements the browser rewrites into its own zone."""

from datetime import UTC

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from allas_site.core.languages import language_name

register = template.Library()

FORMATS = {
    "datetime": "DATETIME_FORMAT",
    "date": "DATE_FORMAT",
    "time": "TIME_FORMAT",
    "day": "j",  # the date tile of a card
    "month": "M",
}


@register.simple_tag(takes_context=True)
def event_time(context, value, style="datetime", zone=None):
    """``value`` in the current zone (or ``zone``). The current zone is the member's
    profile zone when they chose one (``ProfileTimeZoneMiddleware``): the time is final.
    Otherwise it is the site's, marked up so that ``webinars.js`` can show it in the
    browser's zone; without JavaScript the template names the site's zone next to it."""
    if value is None:
        return ""
    local = timezone.localtime(value, zone) if zone else timezone.localtime(value)
    text = date_format(local, FORMATS.get(style, "DATETIME_FORMAT"))
    chosen = getattr(context.get("request"), "profile_time_zone", "")
    # A city's time stays in that city's zone; a profile zone beats the browser's.
    attribute = "" if zone or chosen else style
    return format_html(
        '<time datetime="{}"{}>{}</time>',
        value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        format_html(' data-local="{}"', attribute) if attribute else "",
        text,
    )


@register.filter
def language_names(codes):
    return ", ".join(language_name(code) for code in codes or [])


@register.filter
def zone_label(name):
    """``America/Argentina/Buenos_Aires`` → ``America/Argentina/Buenos Aires``."""
    return str(name or "").replace("_", " ")
