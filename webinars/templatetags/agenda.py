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


@register.simple_tag
def event_time(value, style="datetime", zone=None):
    """``value`` in the site's zone (or ``zone``), marked up so that
    ``webinars.js`` can show it in the visitor's zone; without JavaScript the site's
    zone is named next to it by the template."""
    if value is None:
        return ""
    local = timezone.localtime(value, zone) if zone else timezone.localtime(value)
    text = date_format(local, FORMATS.get(style, "DATETIME_FORMAT"))
    attribute = "" if zone else style  # a city's time stays in that city's zone
    return format_html(
        '<time datetime="{}"{}>{}</time>',
        value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        format_html(' data-local="{}"', attribute) if attribute else "",
        text,
    )


@register.filter
def language_names(codes):
    return ", ".join(language_name(code) for code in codes or [])
