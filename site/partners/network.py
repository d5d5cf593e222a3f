"""The partners on the network map: one query, names in the visitor's language."""

from dataclasses import dataclass
from types import SimpleNamespace

from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language
from wagtail.coreutils import get_supported_content_language_variant

from allas_site.partners.map import VIEWBOX_HEIGHT, VIEWBOX_WIDTH, place_markers
from allas_site.partners.models import Partner

FIELDS = ("slug", "name", "city", "latitude", "longitude", "translation_key",
          "locale__language_code")


@dataclass(frozen=True)
class NetworkMap:
    markers: list
    width: int = VIEWBOX_WIDTH
    height: int = VIEWBOX_HEIGHT


def _markers(rows):
    return place_markers(
        SimpleNamespace(
            **row,
            url=reverse("publications:partner_detail", kwargs={"slug": row["slug"]}),
        )
        for row in rows
    )


def directory_map(partners):
    """The map of a filtered directory: exactly the partners of ``partners`` (a queryset
    in one locale), so the list below and the map show the same network."""
    rows = (
        partners.select_related(None).prefetch_related(None)
        .filter(latitude__isnull=False, longitude__isnull=False)
        .values(*FIELDS)
    )
    return NetworkMap(_markers(rows))


def network_map():
    """The whole network: each partner once, named in the active language when it has a
    translation there and in the default language otherwise."""
    active = get_supported_content_language_variant(get_language())
    default = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    rows = Partner.objects.filter(
        locale__language_code__in={active, default},
        latitude__isnull=False,
        longitude__isnull=False,
    ).values(*FIELDS)
    chosen = {}
    for row in rows:
        key = row["translation_key"]
        if key not in chosen or row["locale__language_code"] == active:
            chosen[key] = row
    return NetworkMap(_markers(chosen.values()))
