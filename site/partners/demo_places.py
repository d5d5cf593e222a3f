"""Where the demo partners are (their cities' coordinates), for the network map.

Kept apart from publications/demo_content.py so the texts and their translations can
change without touching the geography; ``load_demo`` applies it after loading partners.
"""

from allas_site.partners.models import Partner

COORDINATES = {
    # slug: (latitude, longitude) of the city the partner sits in
    "mercociudades": (-34.9011, -56.1645),  # its permanent secretariat, Montevideo
    "redcisur": (-34.6037, -58.3816),  # Buenos Aires
    "flacma": (-0.1807, -78.4678),  # Quito
    "ciudad-de-mexico": (19.4326, -99.1332),
    "medellin": (6.2442, -75.5812),
    "montevideo": (-34.9011, -56.1645),
    "quito": (-0.1807, -78.4678),
    "belo-horizonte": (-19.9167, -43.9345),
    "lyon": (45.7640, 4.8357),
    "barcelona": (41.3874, 2.1686),
    "paris": (48.8566, 2.3522),
}


def place_demo_partners(partners):
    """Give ``partners`` (``{slug: partner}``) and their translations the coordinates above,
    unless an editor has already placed them (idempotent, like the rest of the demo)."""
    for slug, partner in partners.items():
        if slug not in COORDINATES:
            continue
        latitude, longitude = COORDINATES[slug]
        Partner.objects.filter(
            translation_key=partner.translation_key, latitude__isnull=True
        ).update(latitude=latitude, longitude=longitude)
