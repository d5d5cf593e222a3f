"""Reading the collection: filters, facets, pages of cards, related publications.

Every function here runs a fixed number of queries whatever the number of
publications (pinned in tests/publications/test_queries.py).
"""

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from allas_site.publications.models import PublicationPage, PublicationType

SORTS = [("recientes", _("Más recientes")), ("numero", _("Número en la serie"))]


class FilterForm(forms.Form):
    """Filters read from the query string: an unknown value is dropped, never an
    error page."""

    def cleaned_filters(self):
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {key: data.get(key) for key in self.fields if key not in self.errors}


class CollectionFilterForm(FilterForm):
    """The index's filters."""

    tema = forms.SlugField(required=False, label=_("Tema"))
    tipo = forms.ChoiceField(required=False, label=_("Tipo"), choices=PublicationType.choices)
    idioma = forms.ChoiceField(required=False, label=_("Idioma"), choices=settings.LANGUAGES)
    anio = forms.IntegerField(required=False, label=_("Año"), min_value=1900, max_value=2200)
    orden = forms.ChoiceField(required=False, label=_("Ordenar por"), choices=SORTS)


def filter_publications(queryset, filters):
    if filters.get("tema"):
        queryset = queryset.filter(topics__slug=filters["tema"])
    if filters.get("tipo"):
        queryset = queryset.filter(publication_type=filters["tipo"])
    if filters.get("idioma"):
        queryset = queryset.filter(editions__language=filters["idioma"])
    if filters.get("anio"):
        queryset = queryset.filter(publication_date__year=filters["anio"])
    if filters.get("tema") or filters.get("idioma"):
        queryset = queryset.distinct()
    return queryset


def sort_publications(queryset, sort, translated_first=False):
    first = ["untranslated"] if translated_first else []
    if sort == "numero":
        return queryset.order_by(*first, "series_number", "-publication_date", "-pk")
    return queryset.order_by(*first, "-publication_date", "-first_published_at", "-pk")


@dataclass
class Facet:
    value: str
    label: str
    count: int
    url: str
    active: bool


def facet_url(filters, key, value):
    """``?…`` keeping the other active filters, with ``key`` set to ``value``."""
    query = {k: v for k, v in filters.items() if v not in (None, "") and k != key}
    if value is not None:
        query[key] = value
    return "?" + urlencode(query) if query else "?"


def collection_context(request, index):
    from allas_site.topics.models import Topic

    form = CollectionFilterForm(request.GET)
    filters = form.cleaned_filters()
    base = PublicationPage.objects.child_of(index).published()
    filtered = filter_publications(base, filters)
    # What is written in the visitor's language first, then the untranslated rest
    # (shown with its own language): never an empty collection while content exists.
    ordered = sort_publications(
        filtered.for_listing(), filters.get("orden"), translated_first=True
    )
    paginator = Paginator(ordered, index.page_size)
    page_obj = paginator.get_page(request.GET.get("pagina"))

    # Facets count within the current filters except the facet's own.
    def counts(key, field):
        scope = filter_publications(base, {**filters, key: None})
        rows = scope.order_by().values(field).annotate(n=Count("pk", distinct=True))
        return {row[field]: row["n"] for row in rows if row[field] is not None}

    type_counts = counts("tipo", "publication_type")
    type_facets = [
        Facet(value, str(label), type_counts[value], facet_url(filters, "tipo", value),
              filters.get("tipo") == value)
        for value, label in PublicationType.choices
        if value in type_counts
    ]
    language_counts = counts("idioma", "editions__language")
    language_facets = [
        Facet(code, name, language_counts[code], facet_url(filters, "idioma", code),
              filters.get("idioma") == code)
        for code, name in settings.LANGUAGES
        if code in language_counts
    ]
    year_scope = filter_publications(base, {**filters, "anio": None})
    year_rows = (
        year_scope.order_by()
        .annotate(y=ExtractYear("publication_date"))
        .values("y")
        .annotate(n=Count("pk", distinct=True))
    )
    year_facets = sorted(
        (
            Facet(str(row["y"]), str(row["y"]), row["n"],
                  facet_url(filters, "anio", row["y"]), filters.get("anio") == row["y"])
            for row in year_rows
            if row["y"]
        ),
        key=lambda facet: facet.value,
        reverse=True,
    )
    topic_counts = counts("tema", "topics__slug")
    topics = Topic.objects.in_locale().filter(slug__in=topic_counts)
    topic_facets = [
        Facet(topic.slug, topic.name, topic_counts[topic.slug],
              facet_url(filters, "tema", topic.slug), filters.get("tema") == topic.slug)
        for topic in topics
    ]
    active = {k: v for k, v in filters.items() if v not in (None, "")}
    return {
        "filter_form": form,
        "filters": active,
        "page_obj": page_obj,
        "publications": page_obj.object_list,
        "total": paginator.count,
        "facets": {
            "tipo": type_facets,
            "tema": topic_facets,
            "idioma": language_facets,
            "anio": year_facets,
        },
        "sorts": [
            Facet(value, str(label), 0, facet_url(filters, "orden", value),
                  (filters.get("orden") or "recientes") == value)
            for value, label in SORTS
        ],
        "page_query": urlencode(active),
        "clear_url": "?",
    }


def related_publications(page, limit=3):
    """Publications sharing a topic with ``page`` (same language), newest first."""
    topic_keys = list(page.topics.values_list("translation_key", flat=True))
    queryset = PublicationPage.objects.published().filter(locale_id=page.locale_id).exclude(
        pk=page.pk
    )
    if topic_keys:
        queryset = queryset.filter(topics__translation_key__in=topic_keys).distinct()
    return list(sort_publications(queryset.for_listing(), "recientes")[:limit])
