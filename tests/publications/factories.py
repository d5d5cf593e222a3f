"""Builders for the collection's tests: only what each test needs."""

import datetime
import itertools

from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Locale

from allas_site.core.demo import indexed_once
from allas_site.partners.models import Partner
from allas_site.publications.models import (
    PublicationAuthor,
    PublicationEdition,
    PublicationIndexPage,
    PublicationPage,
)
from allas_site.publications.pdf import make_pdf
from allas_site.topics.models import Topic

_numbers = itertools.count(1)


@indexed_once()
def cuadernos_index(home):
    index = PublicationIndexPage.objects.child_of(home).first()
    if index is None:
        index = PublicationIndexPage(title="Cuadernos", slug="cuadernos")
        home.add_child(instance=index)
        index.save_revision().publish()
    return index


def topic(slug="redes", name="Redes de ciudades", locale=None, **kwargs):
    return Topic.objects.create(
        slug=slug, name=name, locale=locale or Locale.get_default(), **kwargs
    )


def partner(slug="lyon", name="Lyon", **kwargs):
    kwargs.setdefault("country", "FR")
    return Partner.objects.create(
        slug=slug, name=name, locale=kwargs.pop("locale", Locale.get_default()), **kwargs
    )


def pdf_document(title="Cuaderno", name="cuaderno.pdf"):
    return get_document_model().objects.create(
        title=title, file=ContentFile(make_pdf(title, ["texto"]), name=name)
    )


@indexed_once()
def publication(index, *, title=None, publish=True, topics=(), partners=(), editions=("es",),
                publication_type="cuaderno", date=None, authors=("Ana Pérez",), **fields):
    number = next(_numbers)
    title = title or f"Cuaderno de prueba {number}"
    page = PublicationPage(
        title=title,
        slug=f"publicacion-{number}",
        publication_type=publication_type,
        series_number=fields.pop("series_number", number if publication_type == "cuaderno"
                                 else None),
        publication_date=date or datetime.date(2024, 1, 1) + datetime.timedelta(days=number),
        abstract="Un resumen.",
        live=publish,
        **fields,
    )
    page.authors = [PublicationAuthor(name=name) for name in authors]
    page.editions = [
        PublicationEdition(language=code, document=pdf_document(f"{title} {code}",
                                                                 f"p{number}-{code}.pdf"))
        for code in editions
    ]
    page.topics = list(topics)
    page.partners = list(partners)
    index.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
        page.refresh_from_db()
    return page
