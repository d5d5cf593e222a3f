"""The network map with a campaign's signatories highlighted.

The partners are drawn as on every map of the platform (``allas_site.partners.map``
places them, with their short names); a partner's marker is highlighted when the
partner signed or when organisations of its city did (they are counted on it rather
than drawn as markers of their own, whose long names would cover the city's). The
list of signatories names them all. Three queries, whatever the number of signatures.
"""

from dataclasses import dataclass, field
from types import SimpleNamespace

from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from wagtail.coreutils import get_supported_content_language_variant

from allas_site.partners.map import VIEWBOX_HEIGHT, VIEWBOX_WIDTH, place_markers
from allas_site.partners.models import Partner
from allas_site.partners.network import FIELDS
from participation.campaigns.models import Signature

MAX_PLACED_SIGNATURES = 300  # beyond this a map is a blot: the list says the rest


@dataclass(frozen=True)
class SignatoriesMap:
    markers: list  # [(Marker, highlighted, accessible name)]
    signed: int = 0
    width: int = VIEWBOX_WIDTH
    height: int = VIEWBOX_HEIGHT
    unplaced: list = field(default_factory=list)


def _partner_rows():
    """Each partner once, in the visitor's language when translated (as the network map)."""
    active = get_supported_content_language_variant(get_language())
    default = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    rows = Partner.objects.filter(
        locale__language_code__in={active, default},
        latitude__isnull=False, longitude__isnull=False,
    ).values(*FIELDS)
    chosen = {}
    for row in rows:
        key = row["translation_key"]
        if key not in chosen or row["locale__language_code"] == active:
            chosen[key] = row
    return sorted(chosen.values(), key=lambda row: row["slug"])


def _city_key(city):
    return " ".join((city or "").casefold().split())


def signatories_map(campaign, signatories_url):
    """``campaign``: the original page. ``signatories_url``: the public list, whose
    anchors the city markers link to."""
    approved = Signature.objects.for_campaign(campaign).approved()
    signed_keys = set(
        approved.filter(partner__isnull=False).values_list("partner__translation_key", flat=True)
    )
    partners = _partner_rows()
    # The first partner of each city stands for it: its marker carries the signatures
    # of organisations from that city that are not partners themselves.
    city_partner = {}
    for row in partners:
        city_partner.setdefault(_city_key(row["city"]), row["translation_key"])
    from_city, first_seq, unplaced = {}, {}, []
    others = (
        approved.filter(partner__isnull=True).order_by("seq")
        .values_list("seq", "organisation", "city")[:MAX_PLACED_SIGNATURES]
    )
    for seq, organisation, city in others:
        key = city_partner.get(_city_key(city))
        if key is None:
            unplaced.append(organisation)
            continue
        from_city[key] = from_city.get(key, 0) + 1
        first_seq.setdefault(key, seq)
    items, labels = [], {}
    for row in partners:
        key = row["translation_key"]
        url = reverse("publications:partner_detail", kwargs={"slug": row["slug"]})
        if key in first_seq:
            url = f"{signatories_url}#firma-{first_seq[key]}"
        items.append(SimpleNamespace(**row, url=url))
        labels[url] = _label(row["name"], key in signed_keys, from_city.get(key, 0))
    markers = place_markers(items)
    placed = [(marker, *labels[marker.url]) for marker in markers]
    return SignatoriesMap(
        markers=placed,
        signed=len(signed_keys & {row["translation_key"] for row in partners})
        + sum(from_city.values()),
        unplaced=unplaced,
    )


def _label(name, signed, from_city):
    """``(highlighted, accessible name)`` of a partner's marker."""
    values = {"name": name, "count": from_city}
    if signed and from_city:
        return True, ngettext(
            "%(name)s: ha firmado, con %(count)s firmante más de su ciudad",
            "%(name)s: ha firmado, con %(count)s firmantes más de su ciudad", from_city,
        ) % values
    if from_city:
        return True, ngettext(
            "%(name)s: %(count)s firmante de esta ciudad",
            "%(name)s: %(count)s firmantes de esta ciudad", from_city,
        ) % values
    if signed:
        return True, _("%(name)s: ha firmado") % values
    return False, _("%(name)s: todavía no ha firmado") % values
