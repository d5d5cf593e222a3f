"""The network map: coordinates, the projection, and the map on / and /socios/."""

import math
import re

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import Locale

from allas_site.partners import map as network_geometry
from allas_site.partners.network import network_map
from tests.publications import factories

CITIES = {
    # name: (latitude, longitude, country)
    "Madrid": (40.4168, -3.7038, "ES"),
    "Bogotá": (4.7110, -74.0721, "CO"),
    "Buenos Aires": (-34.6037, -58.3816, "AR"),
    "São Paulo": (-23.5505, -46.6333, "BR"),
    "Lyon": (45.7640, 4.8357, "FR"),
    "Ciudad de México": (19.4326, -99.1332, "MX"),
}

MAP_LINK = re.compile(r'<a class="network-map__city" href="([^"]+)" aria-label="([^"]+)"')


def place(name, **kwargs):
    latitude, longitude, country = CITIES[name]
    slug = re.sub(r"[^a-z]+", "-", name.lower().replace("ã", "a").replace("á", "a"))
    return factories.partner(
        slug, name, city=name, country=country, latitude=latitude, longitude=longitude,
        **kwargs,
    )


def map_links(response):
    html = response.content.decode()
    return MAP_LINK.findall(html)


# Coordinates -------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize(
    ("latitude", "longitude", "bad"),
    [(91, 0, "latitude"), (-90.5, 0, "latitude"), (0, 180.1, "longitude"),
     (0, -181, "longitude"), (40.4, None, "longitude"), (None, -3.7, "latitude")],
)
def test_coordinates_out_of_range_or_half_given_are_refused(latitude, longitude, bad):
    partner = factories.partner("madrid", "Madrid")
    partner.latitude, partner.longitude = latitude, longitude
    with pytest.raises(ValidationError) as error:
        partner.full_clean()
    assert bad in error.value.message_dict


@pytest.mark.django_db
def test_coordinates_in_range_or_both_empty_are_accepted():
    partner = factories.partner("madrid", "Madrid")
    for latitude, longitude in [(40.4168, -3.7038), (-90, 180), (90, -180), (None, None)]:
        partner.latitude, partner.longitude = latitude, longitude
        partner.full_clean()


# The projection ----------------------------------------------------------------------

def test_projection_keeps_cities_in_their_geographic_order():
    xy = {name: network_geometry.project(lat, lon) for name, (lat, lon, _c) in CITIES.items()}
    assert xy["Madrid"][0] > xy["Bogotá"][0]  # east
    assert xy["Lyon"][0] > xy["Madrid"][0]
    assert xy["Bogotá"][0] > xy["Ciudad de México"][0]
    assert xy["Buenos Aires"][1] > xy["São Paulo"][1]  # south (SVG y grows downwards)
    assert xy["Bogotá"][1] > xy["Madrid"][1] and xy["Lyon"][1] < xy["Madrid"][1]
    for x, y in xy.values():
        assert network_geometry.in_view(x, y)


def test_places_outside_the_two_regions_are_off_the_map():
    for lat, lon in [(35.68, 139.69), (-33.87, 151.21), (64.2, -149.5), (-75, 0)]:  # Tokyo…
        assert not network_geometry.in_view(*network_geometry.project(lat, lon))


def test_partners_in_one_city_get_markers_of_their_own():
    from types import SimpleNamespace

    same = [
        SimpleNamespace(name=name, city="Quito", latitude=-0.18, longitude=-78.47, url=f"/{n}/")
        for n, name in enumerate(["FLACMA", "Quito"])
    ]
    first, second = network_geometry.place_markers(same)
    assert (first.x, first.y) != (second.x, second.y)
    assert network_geometry.place_markers(same) == [first, second]  # stable


def test_the_committed_outline_matches_the_projection_and_stays_small(settings):
    from pathlib import Path

    svg = Path(settings.BASE_DIR, "site", "static", "img", "network-map.svg")
    if not svg.exists():  # BASE_DIR is the project folder in every settings module
        svg = Path(__file__).resolve().parents[2] / "site/static/img/network-map.svg"
    text = svg.read_text()
    width, height = network_geometry.VIEWBOX_WIDTH, network_geometry.VIEWBOX_HEIGHT
    assert f'viewBox="0 0 {width} {height}"' in text
    assert len(text.encode()) < 60_000
    assert "<script" not in text and "http" not in text.replace("http://www.w3.org", "")


# The pages ---------------------------------------------------------------------------

@pytest.mark.django_db
def test_directory_map_has_one_link_per_partner_and_follows_the_filters(client, home_page):
    for name in ["Madrid", "Bogotá", "Lyon"]:
        place(name, partner_type="city")
    place("Buenos Aires", partner_type="network")
    factories.partner("sin-mapa", "Sin coordenadas")  # listed, not placed
    links = map_links(client.get("/socios/"))
    assert sorted(label for _href, label in links) == sorted(
        ["Madrid", "Bogotá", "Lyon", "Buenos Aires"]
    )
    assert ("/socios/madrid/", "Madrid") in links
    # SVG numbers, though Spanish writes decimals with a comma ("131,4" would be 0).
    html = client.get("/socios/").content.decode()
    coordinates = re.findall(r'<circle class="network-map__dot" cx="([^"]+)" cy="([^"]+)"', html)
    assert len(coordinates) == 4
    assert all(re.fullmatch(r"\d+(\.\d+)?", c) for pair in coordinates for c in pair)
    assert [label for _h, label in map_links(client.get("/socios/?pais=FR"))] == ["Lyon"]
    assert [label for _h, label in map_links(client.get("/socios/?tipo=network"))] == [
        "Buenos Aires"
    ]
    assert map_links(client.get("/socios/?pais=DE")) == []  # a country with no partner


@pytest.mark.django_db
def test_home_hero_is_the_map_and_works_without_javascript(client, home_page):
    for name in ["Madrid", "Bogotá", "São Paulo"]:
        place(name)
    html = client.get("/").content.decode()
    hero = html.split('<section class="hero">', 1)[1].split("</section>", 1)[0]
    assert "hero__media--pattern" not in hero
    assert '<svg class="network-map__svg"' in hero and "network-map.svg" in hero
    links = MAP_LINK.findall(hero)
    assert sorted(label for _h, label in links) == ["Bogotá", "Madrid", "São Paulo"]
    # Plain links in server-rendered SVG: nothing to run, nothing to fetch from elsewhere.
    assert "<script" not in hero.split('class="network-map', 1)[1]
    assert home_page.hero_title in hero  # the text and the call to action stay


@pytest.mark.django_db
def test_home_map_names_partners_in_the_visitors_language(client, home_page):
    madrid = place("Madrid")
    bogota = place("Bogotá")
    english = madrid.copy_for_translation(Locale.objects.get(language_code="en"))
    english.name = "Madrid City Council"
    english.save()
    with translation.override("en"):
        names = {marker.name for marker in network_map().markers}
    # Translated where a translation exists, the original otherwise.
    assert names == {"Madrid City Council", bogota.name}
    with translation.override("es"):
        assert {marker.name for marker in network_map().markers} == {"Madrid", "Bogotá"}


@pytest.mark.django_db
def test_markers_are_one_query(django_assert_num_queries, home_page):
    for name in CITIES:
        place(name)
    with django_assert_num_queries(1):
        assert len(network_map().markers) == len(CITIES)


def _grow(have, total):
    for n in range(have, total):
        factories.partner(f"socio-{n}", f"Socio {n}", latitude=-30 + n, longitude=-60 + 2 * n)


def _queries(client, url):
    cache.clear()  # the home page and the directory are cached for anonymous visitors
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_query_count_is_the_same_with_3_and_30_partners(client, home_page):
    for name in ["Madrid", "Bogotá", "Lyon"]:
        place(name)
    client.get("/"), client.get("/socios/")  # warm per-process caches (site, locales)
    few = (_queries(client, "/"), _queries(client, "/socios/"))
    _grow(3, 30)
    assert len(map_links(client.get("/socios/?pagina=1"))) == 30
    assert (_queries(client, "/"), _queries(client, "/socios/")) == few


def test_demo_partners_get_markers_apart_from_each_other():
    import itertools
    from types import SimpleNamespace

    from allas_site.partners.demo_places import COORDINATES

    markers = network_geometry.place_markers(
        SimpleNamespace(name=slug, city="", latitude=lat, longitude=lon, url=f"/{slug}/")
        for slug, (lat, lon) in COORDINATES.items()
    )
    assert len(markers) == len(COORDINATES)  # every demo city is on the map
    # Two markers' dots (radius 10 in the template) never cover each other.
    pairs = itertools.combinations(markers, 2)
    assert min(math.dist((a.x, a.y), (b.x, b.y)) for a, b in pairs) > 20
    by_name = {marker.name: marker for marker in markers}
    assert by_name["montevideo"].x > by_name["redcisur"].x  # Montevideo is east of Buenos Aires


@pytest.mark.django_db
def test_load_demo_places_partners_in_every_language(home_page):
    from io import StringIO

    from allas_site.partners.models import Partner
    from allas_site.publications.demo import load_partners, load_topics

    load_partners(StringIO(), load_topics(StringIO()))
    load_partners(StringIO(), load_topics(StringIO()))  # idempotent
    lyon = Partner.objects.filter(slug="lyon")
    assert lyon.count() == 4 and set(lyon.values_list("latitude", flat=True)) == {45.7640}


def test_names_cover_no_other_marker_and_stay_on_the_map():
    """Each name's box (estimated for the phone's drawing, the largest) clears every other
    marker and the map's edges; near the edge or a neighbour it changes side or line."""
    from types import SimpleNamespace

    from allas_site.partners.demo_places import COORDINATES

    names = {"paris": "París", "lyon": "Lyon", "barcelona": "Barcelona",
             "ciudad-de-mexico": "Ciudad de México"}
    markers = network_geometry.place_markers(
        SimpleNamespace(name=names.get(slug, slug.title()), city="", latitude=lat,
                        longitude=lon, url=f"/{slug}/")
        for slug, (lat, lon) in COORDINATES.items()
    )
    width, height = network_geometry.VIEWBOX_WIDTH, network_geometry.VIEWBOX_HEIGHT
    for marker in markers:
        box = network_geometry._label_box(
            marker, marker.label_end, float(marker.label_dy.removesuffix("em"))
        )
        assert min(box[0], box[1]) >= 0 and box[2] <= width and box[3] <= height, marker
        for other in markers:
            if other is not marker:
                assert not network_geometry._covers_dot(box, other), (marker.name, other.name)
    by_name = {marker.name: marker for marker in markers}
    # Lyon's name to the left ran over París' marker, just above it: it goes right.
    assert by_name["París"].label_end and not by_name["Lyon"].label_end
    assert by_name["Ciudad de México"].label_x > by_name["Ciudad de México"].x
    assert network_geometry.place_markers([]) == []


def test_a_name_at_the_top_of_the_map_goes_a_line_lower():
    from types import SimpleNamespace

    (north_cape,) = network_geometry.place_markers(
        [SimpleNamespace(name="Nordkapp", city="", latitude=71.5, longitude=26.0, url="/n/")]
    )
    assert north_cape.y < 30 and north_cape.label_dy == "1.15em"  # level, it would be cut
    (hammerfest,) = network_geometry.place_markers(
        [SimpleNamespace(name="Hammerfest", city="", latitude=70.66, longitude=23.68, url="/")]
    )
    assert hammerfest.label_end and hammerfest.label_dy == "0.35em"  # room enough
