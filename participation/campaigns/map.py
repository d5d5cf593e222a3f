"""The network map with a campaign's signatories highlighted.

The partners are drawn as on every map of the platform (``allas_site.partners.map``
places them); a partner that signed is highlighted, and an approved signatory that is
not a partner but comes from a partner's city is added at that city, highlighted, so
the map shows who signed wherever the network knows the place. Three queries, whatever
the number of signatures.
"""

from dataclasses import dataclass, field
from types import SimpleNamespace

from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from wagtail.coreutils import get_supported_content_language_variant

from allas_site.partners.map import VIEWBOX_HEIGHT, VIEWBOX_WIDTH, place_markers
from allas_site.partners.models import Partner
from allas_site.partners.network import FIELDS
from participation.campaigns.models import Signature

MAX_PLACED_SIGNATURES = 300  # beyond this a map is a blot: the list says the rest


@dataclass(frozen=True)
class SignatoriesMap:
    markers: list  # [(Marker, signed)]
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
    anchors the added markers link to."""
    approved = Signature.objects.for_campaign(campaign).approved()
    signed_keys = set(
        approved.filter(partner__isnull=False).values_list("partner__translation_key", flat=True)
    )
    partners = _partner_rows()
    places = {}
    for row in partners:
        places.setdefault(_city_key(row["city"]), (row["latitude"], row["longitude"]))
    items, signed_urls = [], set()
    for row in partners:
        url = reverse("publications:partner_detail", kwargs={"slug": row["slug"]})
        items.append(SimpleNamespace(**row, url=url))
        if row["translation_key"] in signed_keys:
            signed_urls.add(url)
    others = (
        approved.filter(partner__isnull=True).order_by("seq")
        .values_list("seq", "organisation", "city")[:MAX_PLACED_SIGNATURES]
    )
    unplaced, by_city = [], {}
    for seq, organisation, city in others:
        key = _city_key(city)
        if key not in places:
            unplaced.append(organisation)
            continue
        by_city.setdefault(key, []).append((seq, organisation, city))
    # One marker per city, however many signed there: a dozen markers spread around
    # one city would hide each other and the partner's own marker.
    placed_signatures = 0
    for key, rows in by_city.items():
        seq, organisation, city = rows[0]
        if len(rows) == 1:
            name = organisation
        else:
            name = ngettext("%(city)s: %(count)s firmante", "%(city)s: %(count)s firmantes",
                            len(rows)) % {"city": city, "count": len(rows)}
        url = f"{signatories_url}#firma-{seq}"
        latitude, longitude = places[key]
        items.append(SimpleNamespace(name=name, city=city, latitude=latitude,
                                     longitude=longitude, url=url))
        signed_urls.add(url)
        placed_signatures += len(rows)
    markers = place_markers(items)
    placed = [(marker, marker.url in signed_urls) for marker in markers]
    signed_partners = sum(1 for marker, signed in placed if signed and "#firma-" not in marker.url)
    return SignatoriesMap(
        markers=placed,
        signed=signed_partners + placed_signatures,
        unplaced=unplaced,
    )
