"""Generated covers: the design system of the collection when no cover was uploaded.

A cover says three things without repeating the card's words: the series (its colour),
the Cuaderno's number (large) and the topic (a pictogram). Topic slugs are the same in
every language, so a publication keeps its pictogram in each of them; a topic without
a drawing of its own gets the city skyline.
"""

from dataclasses import dataclass

# Topic slug -> pictogram drawn in components/publications/pictogram.html.
PICTOGRAMS = {
    "agendas-globales": "globe",
    "atractividad-territorial": "star",
    "marketing-territorial": "star",
    "cooperacion-descentralizada": "exchange",
    "diplomacia-de-ciudades": "dialogue",
    "marco-juridico": "columns",
    "migracion-y-paz": "path",
    "participacion-ciudadana": "people",
    "planificacion-estrategica": "target",
    "redes-de-ciudades": "network",
    "sustentabilidad-urbana": "leaf",
}
DEFAULT_PICTOGRAM = "city"


@dataclass(frozen=True)
class Cover:
    series: str  # the publication type: the colour of the series
    number: int | None  # the Cuaderno's number in the collection
    pictogram: str


def pictogram_for(topics):
    """The pictogram of the first topic (by slug, the same in every language) that has one."""
    for slug in sorted(topic.slug for topic in topics):
        if slug in PICTOGRAMS:
            return PICTOGRAMS[slug]
    return DEFAULT_PICTOGRAM


def cover_for(publication, topics=None):
    number = publication.series_number if publication.is_cuaderno else None
    return Cover(
        series=publication.publication_type,
        number=number,
        pictogram=pictogram_for(publication.topics.all() if topics is None else topics),
    )
