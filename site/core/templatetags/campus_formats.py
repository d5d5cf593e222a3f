"""Template filters for the campus's one style of times and durations (see
allas_site.core.formats)."""

from django import template
from django.utils import timezone

from allas_site.core import formats

register = template.Library()


@register.filter
def relative_time(value):
    """``{{ post.created_at|relative_time }}``: "ahora mismo", "hace 5 minutos"…"""
    return formats.relative_time(value)


@register.filter
def duration(value, unit="min"):
    """``{{ lesson.duration_minutes|duration }}``, ``{{ course.duration_hours|duration:"h" }}``."""
    return formats.duration(value, unit)


@register.filter
def is_future(value):
    """A Café session's debate is dated at its opening: "se abre dentro de 5 días"."""
    return bool(value) and value > timezone.now()


@register.inclusion_tag("components/time_ago.html")
def time_ago(value):
    """A <time> element with the relative wording and the exact date as its title."""
    return {"value": value, "text": formats.relative_time(value)}
