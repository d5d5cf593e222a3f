"""A member's time zone: an IANA name kept on the profile, checked against zoneinfo,
and made the request's current zone by ``ProfileTimeZoneMiddleware`` so that every time
a page renders (``timezone.localtime``, the ``date`` filter) is in that zone without
JavaScript. Without a profile zone pages render in the site's zone and mark their
times so the browser rewrites them into its own (the Agenda's ``event_time`` tag).
"""

import functools
from zoneinfo import ZoneInfo, available_timezones

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The network's capitals, west to east: first in the profile's choices and the rows
# of an event's "see in other cities" table.
NETWORK_ZONES = [
    (_("Ciudad de México"), "America/Mexico_City"),
    (_("Bogotá"), "America/Bogota"),
    (_("Buenos Aires"), "America/Argentina/Buenos_Aires"),
    (_("Montevideo"), "America/Montevideo"),
    (_("São Paulo"), "America/Sao_Paulo"),
    (_("Madrid"), "Europe/Madrid"),
    (_("París"), "Europe/Paris"),
    (_("Bruselas"), "Europe/Brussels"),
]

# Regions of the tz database, in the order the select shows them. Names outside them
# (``US/Eastern``, ``Etc/GMT+3``, ``EST5EDT``) are old aliases people should not pick;
# they stay valid for the field (an import may carry one) but are not offered.
REGIONS = [
    ("America", _("América")),
    ("Europe", _("Europa")),
    ("Africa", _("África")),
    ("Asia", _("Asia")),
    ("Atlantic", _("Atlántico")),
    ("Indian", _("Índico")),
    ("Australia", _("Australia")),
    ("Pacific", _("Pacífico")),
    ("Antarctica", _("Antártida")),
]


@functools.cache
def known_zones():
    return frozenset(available_timezones())


def validate_time_zone(value):
    if value and value not in known_zones():
        raise ValidationError(
            _("«%(value)s» no es una zona horaria conocida."),
            code="unknown_time_zone", params={"value": value},
        )


def _place(name):
    # "America/Argentina/Buenos_Aires" → "Argentina / Buenos Aires"
    return name.split("/", 1)[1].replace("_", " ").replace("/", " / ")


@functools.cache
def _region_choices():
    zones = known_zones()
    groups = []
    for prefix, label in REGIONS:
        names = sorted(zone for zone in zones if zone.startswith(prefix + "/"))
        groups.append((label, [(name, _place(name)) for name in names]))
    return groups


def choices():
    """``(value, label)`` groups for a select: the network's capitals first, then every
    region's places alphabetically, then UTC. Built per call for the active language
    (the region and capital names are translated); the zone lists are computed once."""
    capitals = [(zone, f"{city} ({_place(zone)})") for city, zone in NETWORK_ZONES]
    return [
        (_("Capitales de la red AL-LAs"), capitals),
        *[(label, items) for label, items in _region_choices()],
        (_("Otras"), [("UTC", "UTC")]),
    ]


def zone_of(user):
    """``user``'s profile zone as a tzinfo, or ``None`` (anonymous, none chosen, or a
    name the installed tz database no longer knows)."""
    name = getattr(user, "time_zone", "") if getattr(user, "is_authenticated", False) else ""
    if not name or name not in known_zones():
        return None
    return ZoneInfo(name)


class ProfileTimeZoneMiddleware:
    """Make a logged-in member's profile zone the current zone for the request, and
    tell templates so (``request.profile_time_zone``: its name, or ``""``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = zone_of(request.user)
        request.profile_time_zone = zone.key if zone else ""
        if zone is None:
            return self.get_response(request)
        with timezone.override(zone):
            return self.get_response(request)
