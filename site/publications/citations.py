"""APA and BibTeX citations of a publication (text built here, not in templates)."""

import re
from dataclasses import dataclass

from allas_site.core.navigation import absolute_url

PUBLISHER = "AL-LAs"
SERIES = "Colección de Cuadernos para la Internacionalización de las Ciudades"


@dataclass(frozen=True)
class Citation:
    apa: str
    bibtex: str
    key: str


PARTICLES = {"de", "del", "la", "las", "los", "y", "da", "das", "do", "dos", "van", "von", "le"}


def _apa_name(name):
    """"Mariana Ortega" -> "Ortega, M."; an institution ("Equipo técnico AL-LAs",
    one word, or a lowercase word that is not a particle) stays as written."""
    parts = name.split()
    if len(parts) < 2 or any(p[0].islower() and p not in PARTICLES for p in parts):
        return name
    initials = " ".join(f"{part[0]}." for part in parts[:-1])
    return f"{parts[-1]}, {initials}"


def _apa_authors(names):
    names = [_apa_name(name) for name in names if name]
    if not names:
        return PUBLISHER
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + ", & " + names[-1]


def _bib_escape(value):
    return re.sub(r"([{}\\&%$#_])", r"\\\1", str(value))


def for_page(page, request=None):
    names = page.author_names
    year = page.year or "s. f."
    title = page.title + (f": {page.subtitle}" if page.subtitle else "")
    url = absolute_url(page, request) or ""
    series = ""
    if page.is_cuaderno and page.series_number:
        # The series is cited by its Spanish title in every language, numbering included.
        series = f" ({SERIES}, n.º {page.series_number})"
    link = f"https://doi.org/{page.doi}" if page.doi else url
    apa = f"{_apa_authors(names)} ({year}). {title}{series}. {PUBLISHER}. {link}".strip()

    surname = (names[0].split()[-1] if names else PUBLISHER).lower()
    key = re.sub(r"[^a-z0-9]", "", surname) + str(page.year or "") + f"p{page.pk}"
    kind = {"article": "article", "relatoria": "misc"}.get(page.publication_type, "book")
    fields = [
        ("author", " and ".join(names) if names else PUBLISHER),
        ("title", title),
        ("year", page.year or ""),
        ("publisher", PUBLISHER),
    ]
    if page.is_cuaderno and page.series_number:
        fields += [("series", SERIES), ("number", page.series_number)]
    if page.isbn:
        fields.append(("isbn", page.isbn))
    if page.doi:
        fields.append(("doi", page.doi))
    if url:
        fields.append(("url", url))
    fields.append(("language", page.language))
    body = ",\n".join(f"  {name} = {{{_bib_escape(value)}}}" for name, value in fields if value)
    bibtex = f"@{kind}{{{key},\n{body}\n}}\n"
    return Citation(apa=apa, bibtex=bibtex, key=key)
