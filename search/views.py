"""``/buscar/``: results page, autocomplete and the OpenSearch description.

Thin: parameters in, ``search.query`` does the work, a template out.
"""

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from allas_site.core import navigation
from search import query


@require_GET
def search(request):
    params = query.Params.from_query_dict(request.GET)
    outcome = query.run_search(params, request.user, request=request)
    return render(request, "search/results.html", {
        "outcome": outcome,
        "params": params,
        "facet_links": facet_links(params, outcome.facets),
        "sort_links": sort_links(params),
        "page_links": page_links(params, outcome.page),
        "main_sections": navigation.main_navigation(request.path),
        "suggestion_url": _url(params, q=outcome.suggestion) if outcome.suggestion else "",
    })


@require_GET
def autocomplete(request):
    suggestions = query.autocomplete(request.GET.get("q", "")[:query.MAX_QUERY_LENGTH],
                                     request.user)
    response = JsonResponse({"results": suggestions})
    response["Cache-Control"] = "private, max-age=30"
    return response


@require_GET
def opensearch(request):
    return render(
        request, "search/opensearch.xml",
        {"search_url": navigation.absolute_url(navigation.search_url())},
        content_type="application/opensearchdescription+xml",
    )


def _url(params, **changes):
    """``/buscar/?…`` with the current parameters and ``changes`` (page back to 1)."""
    values = {"q": params.q, "tipo": params.kinds, "tema": params.topic,
              "idioma": params.language, "anio": params.year, "orden": params.sort,
              "pagina": None}
    values.update(changes)
    if values.get("orden") == "relevance":
        values["orden"] = None
    if values.get("pagina") == 1:
        values["pagina"] = None
    pairs = []
    for key, value in values.items():
        for item in value if isinstance(value, list) else [value]:
            if item not in (None, ""):
                pairs.append((key, item))
    return f"{_search_path()}?{urlencode(pairs)}"


def _search_path():
    # Every facet, sort and page link starts with it: resolved once per language.
    from django.urls import get_script_prefix
    from django.utils import translation

    key = (translation.get_language(), get_script_prefix())
    path = _search_paths.get(key)
    if path is None:
        path = _search_paths[key] = reverse("search:search")
    return path


_search_paths = {}


def facet_links(params, facets):
    """Each facet value as a link that toggles it, with its count."""
    if not facets:
        return {}
    links = {"kind": [], "topic": [], "language": [], "year": []}
    for value, label, count in facets["kind"]:
        selected = value in params.kinds
        kinds = [k for k in params.kinds if k != value] if selected else [*params.kinds, value]
        links["kind"].append((label, count, selected, _url(params, tipo=kinds)))
    for value, label, count in facets["topic"]:
        selected = params.topic == value
        links["topic"].append((label, count, selected,
                               _url(params, tema=None if selected else value)))
    for value, label, count in facets["language"]:
        selected = params.language == value
        links["language"].append((label, count, selected,
                                  _url(params, idioma=None if selected else value)))
    for value, count in facets["year"]:
        selected = params.year == value
        links["year"].append((str(value), count, selected,
                              _url(params, anio=None if selected else value)))
    return links if any(links.values()) else {}


def sort_links(params):
    return [(value, value == params.sort, _url(params, orden=value))
            for value in query.SORTS]


def page_links(params, page):
    if page is None or page.paginator.num_pages <= 1:
        return {}
    last = min(page.paginator.num_pages, query.MAX_PAGE)
    return {
        "previous": _url(params, pagina=page.number - 1) if page.number > 1 else "",
        "next": _url(params, pagina=page.number + 1) if page.number < last else "",
        "number": page.number,
        "count": last,
    }
