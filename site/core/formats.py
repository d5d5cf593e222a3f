"""How the campus writes times and durations: one style, one place.

Relative times ("hace 5 minutos", "ahora mismo") are used by every listing (Café,
notifications, webinars); Django's ``timesince`` said "0 minutos" for anything just
posted and gave no direction (past or future). Durations come in minutes or hours
from the models and are written "45 min", "3 h", "1 h 30 min" everywhere, so a
course's hours and its lessons' minutes read in the same units.
"""

import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

MINUTE = 60
HOUR = 60 * MINUTE
DAY = 24 * HOUR
WEEK = 7 * DAY
# Past this, a relative time is vaguer than the date itself.
RELATIVE_LIMIT = 4 * WEEK


def _past_and_future(span):
    """The unit's (past, future) phrases for a span of seconds under four weeks."""
    if span < HOUR:
        count = int(span // MINUTE)
        past = ngettext("hace %(count)d minuto", "hace %(count)d minutos", count)
        future = ngettext("dentro de %(count)d minuto", "dentro de %(count)d minutos", count)
    elif span < DAY:
        count = int(span // HOUR)
        past = ngettext("hace %(count)d hora", "hace %(count)d horas", count)
        future = ngettext("dentro de %(count)d hora", "dentro de %(count)d horas", count)
    elif span < WEEK:
        count = int(span // DAY)
        past = ngettext("hace %(count)d día", "hace %(count)d días", count)
        future = ngettext("dentro de %(count)d día", "dentro de %(count)d días", count)
    else:
        count = int(span // WEEK)
        past = ngettext("hace %(count)d semana", "hace %(count)d semanas", count)
        future = ngettext("dentro de %(count)d semana", "dentro de %(count)d semanas", count)
    return past % {"count": count}, future % {"count": count}


def relative_time(value, now=None):
    """A past or future moment as words relative to ``now`` ("hace 3 horas",
    "dentro de 2 días", "ahora mismo" under a minute); beyond four weeks, the date."""
    if value is None or value == "":
        return ""
    if not isinstance(value, datetime.datetime):  # a date: its midnight in the site's zone
        value = datetime.datetime.combine(value, datetime.time())
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    seconds = (value - (now or timezone.now())).total_seconds()
    span = abs(seconds)
    if span < MINUTE:
        return gettext("ahora mismo")
    if span >= RELATIVE_LIMIT:
        return date_format(timezone.localtime(value), "DATE_FORMAT")
    past, future = _past_and_future(span)
    return future if seconds > 0 else past


def duration(value, unit="min"):
    """A duration given in minutes (``unit="min"``) or hours (``unit="h"``) as
    "45 min", "3 h" or "1 h 30 min"."""
    if value is None or value == "":
        return ""
    minutes = int(round(float(value) * (60 if unit == "h" else 1)))
    hours, rest = divmod(max(minutes, 0), 60)
    if hours and rest:
        return gettext("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": rest}
    if hours:
        return gettext("%(hours)d h") % {"hours": hours}
    return gettext("%(minutes)d min") % {"minutes": rest}
