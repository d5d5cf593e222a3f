"""The one query path: the results page, the header's autocomplete and the API's
``?search=`` all come through here.

``search(params, user)`` reads the request's parameters leniently (an unknown facet
value or page is ignored or clamped, never an error), builds one queryset filtered by
what the person may read (``SearchDocument.objects.visible_to``) and by the facets,
and asks Wagtail's search backend for one page of ranked results. Counts and facets
come from that same filtered query, so they never count what is not shown. The number
of database queries is the same whatever the number of results.
"""

import functools
from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.db import models
from django.db.models import Count
from django.utils import translation
from modelsearch.query import Or, Phrase, PlainText
from wagtail.search.backends import get_search_backend

from search import text
from search.models import Kind, SearchDocument

PAGE_SIZE = 10
MAX_PAGE = 100
MAX_QUERY_LENGTH = 200
SORTS = ("relevance", "date")
AUTOCOMPLETE_SIZE = 8
# What a results page may show of a source's text.
SNIPPET_LENGTH = 240


@dataclass
class Params:
    q: str = ""
    kinds: list = field(default_factory=list)
    topic: int | None = None
    language: str = ""
    year: int | None = None
    sort: str = "relevance"
    page: int = 1

    @classmethod
    def from_query_dict(cls, data):
        """Everything a URL may carry, cleaned: nothing here raises."""
        q = " ".join(str(data.get("q", ""))[:MAX_QUERY_LENGTH].split())
        kinds = [kind for kind in data.getlist("tipo") if kind in Kind.values][:len(Kind)]
        language = data.get("idioma", "")
        language = language if language in dict(settings.LANGUAGES) else ""
        sort = data.get("orden", "relevance")
        return cls(
            q=q,
            kinds=sorted(set(kinds)),
            topic=_int(data.get("tema"), 1, 2**62),
            language=language,
            year=_int(data.get("anio"), 1900, 2200),
            sort=sort if sort in SORTS else "relevance",
            page=_int(data.get("pagina"), 1, MAX_PAGE) or 1,
        )


def _int(value, low, high):
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


def enrolled_course_keys(user):
    if not user.is_authenticated:
        return []
    from courses.models import CoursePage, Enrollment
    from courses.services import is_course_editor

    keys = getattr(user, "_search_course_keys", None)
    if keys is None:
        # Course editors open every lesson (courses.services.can_open_lesson).
        source = (
            CoursePage.objects.values_list("translation_key", flat=True)
            if is_course_editor(user)
            else Enrollment.objects.filter(user=user).values_list("course_key", flat=True)
        )
        keys = sorted({str(key) for key in source})
        user._search_course_keys = keys
    return keys


def visible_documents(user):
    """What ``user`` may find, preferring the visitor's language: a thing that exists
    in it is shown in it, and in no other language."""
    language = text.language_of(translation.get_language())
    return SearchDocument.objects.visible_to(user, enrolled_course_keys(user)).exclude(
        models.Q(languages__contains=f",{language},") & ~models.Q(language=language)
    )


def build_query(words, quoted):
    """Wagtail query objects from the cleaned words. Several plain words also look for
    them side by side (the phrase), which ranks ``diplomacia urbana`` together first."""
    parts = [Phrase(" ".join(phrase)) for phrase in quoted if phrase]
    # "de", "las"… are not required, and alone find nothing, as in PostgreSQL's
    # configurations (which drop them), so both backends agree.
    plain = [word for word in words if text.fold(word) not in text.STOPWORDS]
    if plain:
        and_words = PlainText(" ".join(plain), operator="and")
        if len(words) > 1 and not parts:
            parts.append(Or([Phrase(" ".join(words)), and_words]))
        else:
            parts.append(and_words)
    if not parts:
        return None
    query = parts[0]
    for part in parts[1:]:
        query = query & part
    return query


def parse(q):
    """Words, and the quoted phrases (only balanced quotes count)."""
    quoted, words = [], []
    pieces = q.split('"')
    if len(pieces) % 2 == 0:  # an unbalanced quote is just a character
        pieces = [q.replace('"', " ")]
    for position, piece in enumerate(pieces):
        found = text.query_words(piece)
        if position % 2:
            quoted.append(found)
        else:
            words.extend(found)
    total = sum(len(p) for p in quoted) + len(words)
    if total > text.MAX_TERMS:
        words = words[: max(0, text.MAX_TERMS - sum(len(p) for p in quoted))]
    return words, quoted


@dataclass
class Result:
    document: SearchDocument
    title: str
    snippet: str
    url: str
    kind_label: str
    language_name: str
    topic_name: str


@dataclass
class Outcome:
    params: Params
    results: list
    total: int
    page: object = None
    facets: dict = field(default_factory=dict)
    suggestion: str = ""
    promotions: list = field(default_factory=list)
    searched: bool = False


def filtered(params, user):
    queryset = visible_documents(user)
    if params.kinds:
        queryset = queryset.filter(kind__in=params.kinds)
    if params.topic:
        queryset = queryset.filter(topic_id=params.topic)
    if params.language:
        queryset = queryset.filter(language=params.language)
    if params.year:
        queryset = queryset.filter(year=params.year)
    return queryset


def run_search(params, user, *, facets=True, record=True, request=None):
    """One page of results for ``params`` as ``user`` may see them. With the
    ``request``, what rarely changes (topic names, which queries have editors' picks)
    is kept in this process until the site-wide version changes."""
    words, quoted = parse(params.q)
    query = build_query(words, quoted)
    outcome = Outcome(params=params, results=[], total=0, searched=bool(params.q))
    if query is None:
        return outcome
    backend = get_search_backend()
    # The ranked query reads ids only (from an index on SQLite, see migration 0005);
    # the page's ten rows are read afterwards, in one query.
    queryset = filtered(params, user).only("pk")
    if params.sort == "date":
        queryset = queryset.order_by("-date", "-id")
    results = backend.search(query, queryset, order_by_relevance=params.sort == "relevance")
    paginator = Paginator(results, PAGE_SIZE)
    page_ids = None
    if facets:
        window = ((params.page - 1) * PAGE_SIZE, PAGE_SIZE)
        outcome.facets, total, page_ids = facet_counts(
            backend, query, params, user, ranked=results, window=window, request=request
        )
        if total is not None:
            # The grouped counts cover exactly the rows shown: no separate COUNT query.
            paginator.count = total
    try:
        page = paginator.page(params.page)
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
        page_ids = None  # the last page instead: its ids are read below
    outcome.page = page
    outcome.total = paginator.count
    if page_ids is None:
        page_ids = [doc.pk for doc in page.object_list]
    all_words = words + [w for phrase in quoted for w in phrase]
    outcome.results = present(_rows(page_ids), all_words, request=request)
    if outcome.total == 0:
        outcome.suggestion = suggest(all_words, user)
    if params.page == 1 and not params.kinds:
        outcome.promotions = promotions(params.q, request=request)
    if record:
        record_query(params.q, outcome.total)
    return outcome


def _rows(ids):
    """The documents ``ids``, whole, in that order (one query)."""
    if not ids:
        return []
    found = SearchDocument.objects.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def present(documents, words, request=None):
    visitor = text.language_of(translation.get_language())
    topics = topic_names(request) if any(doc.topic_id for doc in documents) else {}
    from allas_site.core.languages import language_name

    results = []
    for doc in documents:
        language = text.language_of(doc.language)
        snippet_source = doc.summary if _matches(doc.summary, words, language) else (
            doc.content or doc.summary
        )
        results.append(Result(
            document=doc,
            title=text.highlight(doc.heading, words, language),
            snippet=text.highlight(snippet_source, words, language, limit=SNIPPET_LENGTH),
            url=_url_for(doc, visitor),
            kind_label=str(Kind(doc.kind).label),
            language_name=language_name(doc.language),
            topic_name=topics.get(doc.topic_id, ""),
        ))
    return results


def _matches(value, words, language):
    stems = {v for word in words for v in text.variants(word, [language])}
    return any(text.stem(word, language) in stems for word in text.words(value))


def _url_for(doc, visitor):
    """A Spanish original opens in the visitor's language tree (its alias there)."""
    from allas_site.core.navigation import localized_path

    if doc.language == settings.LANGUAGE_CODE and visitor != settings.LANGUAGE_CODE:
        return localized_path(doc.url, visitor)
    return doc.url


KEEP_SECONDS = 300


def _kept(request, key, build):
    """``build()``, kept in this process until the site-wide version changes (saving a
    topic, publishing; see allas_site.core.page_cache), when there is a request."""
    if request is None:
        return build()
    from allas_site.core import page_cache

    return page_cache.remember(request, key, build, KEEP_SECONDS)


def topic_names(request=None):
    """Every topic's name in the visitor's language: ``{topic id: name}`` (a topic's
    translation's name when there is one, else its own)."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return _kept(request, f"search:topic-names:{language}", _topic_names_now)


def _topic_names_now():
    from wagtail.models import Locale

    from allas_site.topics.models import Topic

    locale_id = Locale.get_active().pk
    rows = list(Topic.objects.values_list("pk", "translation_key", "locale_id", "name"))
    localized = {key: name for _pk, key, locale, name in rows if locale == locale_id}
    return {pk: localized.get(key, name) for pk, key, _locale, name in rows}


FACETS = {"kind": "tipo", "topic_id": "tema", "language": "idioma", "year": "anio"}


def facet_counts(backend, query, params, user, ranked=None, window=None, request=None):
    """Counts per value for each facet, over the results as filtered now except the
    facet's own selection (choosing one type still shows how many of the others).
    One grouped query, plus one per facet in use. Also returns the number of results
    (the sum of the first grouping), or None from a cluster backend, and, given the
    ``ranked`` results and a ``window`` (offset, size), the ids of that page of them,
    read by the first grouped query (None when it could not)."""
    from allas_site.core.languages import language_name

    selected = {
        "kind": bool(params.kinds), "topic_id": bool(params.topic),
        "language": bool(params.language), "year": bool(params.year),
    }
    out = dict.fromkeys(FACETS)
    groups = [None] + [name for name, on in selected.items() if on]
    total = page_ids = None
    for without in groups:
        narrowed = Params(**{**params.__dict__})
        if without == "kind":
            narrowed.kinds = []
        elif without == "topic_id":
            narrowed.topic = None
        elif without == "language":
            narrowed.language = ""
        elif without == "year":
            narrowed.year = None
        if without is None and ranked is not None and _page_with_facets(ranked):
            rows, count, page_ids = _grouped_with_page(ranked, window)
        elif without is None and ranked is not None and hasattr(ranked, "get_queryset"):
            rows, count, page_ids = _grouped_from_ranked_rows(ranked, window)
        else:
            rows, count = _grouped(backend, query, filtered(narrowed, user))
        if without is None:
            total = count
        for name in FACETS:
            if (without is None and not selected[name]) or without == name:
                counts = {}
                for row in rows:
                    if row[name] not in (None, ""):
                        counts[row[name]] = counts.get(row[name], 0) + row["count"]
                out[name] = counts
    kinds = [(kind, str(Kind(kind).label), n) for kind, n in out["kind"].items()]
    topics = topic_names(request) if out["topic_id"] else {}
    return {
        "kind": sorted(kinds, key=lambda item: -item[2]),
        "topic": sorted(((pk, topics.get(pk, ""), n) for pk, n in out["topic_id"].items()
                         if pk in topics), key=lambda item: -item[2])[:12],
        "language": [(code, language_name(code), n) for code, n in out["language"].items()],
        "year": sorted(out["year"].items(), reverse=True),
    }, total, page_ids


def _grouped(backend, query, queryset):
    """(kind, topic, language, year) → count for the matching rows, in one query on the
    database backends, and their total; a cluster backend's own facets otherwise."""
    results = backend.search(query, queryset, order_by_relevance=False)
    if hasattr(results, "get_queryset"):
        return _grouped_rows(results.get_queryset())
    rows = []
    for name in FACETS:
        rows += [{**dict.fromkeys(FACETS), name: value, "count": count}
                 for value, count in results.facet(name).items()]
    return rows, None


def _page_with_facets(ranked):
    """PostgreSQL only: SQLite's planner, given the match inside a WITH, joins the
    full-text table last and runs the MATCH once per document (seconds); there
    ``_grouped_from_ranked_rows`` does the same work."""
    from django.db import connections

    return hasattr(ranked, "get_queryset") and (
        connections[ranked.query_compiler.queryset.db].vendor == "postgresql"
    )


def _grouped_with_page(ranked, window):
    """``_grouped`` for the results as ranked, and the ids of one page of them, in one
    statement: the match (and the rank) run once for both, where the counts and the
    page each scanned and matched every row the person may read (for a word most
    documents contain, nearly all the time of a search). The page is ordered by the
    results' own ordering (relevance or date, then id), so it holds the rows the
    ranked query would return for that offset."""
    from django.db import connections
    from django.db.models import F
    from django.db.models.expressions import OrderBy

    queryset = ranked.get_queryset()
    keys, order = {}, []
    for position, item in enumerate(queryset.query.order_by):
        name = f"sort_{position}"
        if isinstance(item, str):
            descending, expression = item.startswith("-"), F(item.lstrip("-"))
        elif isinstance(item, OrderBy) and not (item.nulls_first or item.nulls_last):
            descending, expression = item.descending, item.expression
        else:  # an ordering this does not know how to repeat
            rows, count = _grouped_rows(queryset)
            return rows, count, None
        keys[name] = expression
        order.append(f"{name} {'DESC' if descending else 'ASC'}")
    columns = {"doc_id": F("pk"), **{f"f_{name}": F(name) for name in FACETS}, **keys}
    inner = queryset.order_by().values(**columns).query
    sql, params = inner.sql_with_params()
    facets = ", ".join(f"f_{name}" for name in FACETS)
    nulls = ", ".join("NULL" for _ in FACETS)
    sorts = ", ".join(keys)
    null_sorts = ", ".join(f"NULL AS {name}" for name in keys)
    # Part 0: the counts; part 1: the page, ordered again after the union (the union
    # itself promises no order). Only Django's compiled SQL and column names go in.
    statement = (
        f"WITH matches AS ({sql}) "  # noqa: S608
        f"SELECT 0 AS part, {facets}, COUNT(*) AS n, NULL AS doc_id, {null_sorts} "
        f"FROM matches GROUP BY {facets} "
        f"UNION ALL SELECT 1, {nulls}, NULL, doc_id, {sorts} FROM "
        f"(SELECT doc_id, {sorts} FROM matches ORDER BY {', '.join(order)} "
        f"LIMIT %s OFFSET %s) AS page "
        f"ORDER BY part, {', '.join(order)}"
    )
    offset, size = window
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(statement, (*params, size, offset))
        fetched = cursor.fetchall()
    rows, ids = [], []
    for part, *values, count, doc_id in (row[: 3 + len(FACETS)] for row in fetched):
        if part == 0:
            rows.append({**dict(zip(FACETS, values, strict=True)), "count": count})
        else:
            ids.append(doc_id)
    return rows, sum(row["count"] for row in rows), ids


def _grouped_from_ranked_rows(ranked, window):
    """SQLite: ``_grouped_with_page`` with the counting done here. One statement reads
    every matching row's id and facet columns in the results' order (FTS5 matches and
    ranks once); the counts and the page come from those rows. Before, the counts and
    the page were two statements, each running the MATCH (and the join) over every
    document. The rows read grow with the results, the statements do not."""
    from collections import Counter

    rows = list(ranked.get_queryset().values_list("pk", *FACETS))
    offset, size = window
    counted = Counter(row[1:] for row in rows)
    # In GROUP BY's order (empty values first), as the grouped statement gave them:
    # facet values with equal counts keep their order.
    ordered = sorted(counted, key=lambda key: [(v is not None, 0 if v is None else v) for v in key])
    grouped = [{**dict(zip(FACETS, key, strict=True)), "count": counted[key]} for key in ordered]
    return grouped, len(rows), [row[0] for row in rows[offset:offset + size]]


def _grouped_rows(queryset):
    rows = list(queryset.order_by().values(*FACETS).annotate(count=Count("pk")))
    return rows, sum(row["count"] for row in rows)


def suggest(words, user):
    """"¿Quisiste decir…?": each word replaced by the closest word of the titles the
    person may find, when that finds something."""
    import difflib

    if not words:
        return ""
    vocabulary = _vocabulary(text.language_of(translation.get_language()))
    changed, corrected = False, []
    for word in words:
        folded = text.fold(word)
        if folded in vocabulary:
            corrected.append(word)
            continue
        close = difflib.get_close_matches(folded, vocabulary, n=1, cutoff=0.75)
        if close:
            corrected.append(close[0])
            changed = True
        else:
            corrected.append(word)
    return " ".join(corrected) if changed else ""


@functools.lru_cache(maxsize=8)
def _vocabulary_cached(language, generation):
    words = set()
    rows = SearchDocument.objects.filter(
        read_level="everyone", enrolled_course__isnull=True, suggestable=True,
        language__in={language, settings.LANGUAGE_CODE},
    ).values_list("heading", "summary")[:20_000]
    for heading, summary in rows:
        for word in text.words(f"{heading} {summary}"):
            if len(word) > 3 and not word.isdigit():
                words.add(text.fold(word))
    return sorted(words)


def _vocabulary(language):
    # Public titles and summaries only (no members-only words leak through a
    # suggestion), recomputed when documents change.
    latest = SearchDocument.objects.aggregate(latest=models.Max("indexed_at"))["latest"]
    return _vocabulary_cached(language, latest)


def promotions(q, request=None):
    """Editors' picks for this query (Wagtail's search promotions), live pages only."""
    from wagtail.contrib.search_promotions.models import SearchPromotion
    from wagtail.models import Page
    from wagtail.search.utils import normalise_query_string

    normalised = normalise_query_string(q)
    if not normalised or normalised not in _kept(
        request, "search:promoted-queries", _promoted_queries
    ):
        return []
    picks = SearchPromotion.objects.filter(query__query_string=normalised).select_related("page")
    out = []
    for pick in picks:
        if pick.page_id:
            # Built only when there is a pick: public() reads every view restriction.
            if not Page.objects.live().public().filter(pk=pick.page_id).exists():
                continue
            out.append({"title": pick.page.title, "url": pick.page.get_url(),
                        "description": pick.description})
        elif pick.external_link_url:
            out.append({"title": pick.external_link_text or pick.external_link_url,
                        "url": pick.external_link_url, "description": pick.description})
    return out


def _promoted_queries():
    """The queries that have editors' picks (few): only those read their picks.
    Saving or deleting a pick changes the site-wide version (search.signals)."""
    from wagtail.contrib.search_promotions.models import SearchPromotion

    return set(SearchPromotion.objects.values_list("query__query_string", flat=True))


def record_query(q, total):
    """Count the query for the editors' report (search.stats: no write per search)."""
    from django.utils import timezone

    from search import stats

    normalised = " ".join(text.fold(word) for word in text.query_words(q))[:120]
    if not normalised:
        return
    language = text.language_of(translation.get_language())
    stats.record(normalised, language, timezone.localdate(), empty=total == 0)


def autocomplete(q, user, limit=AUTOCOMPLETE_SIZE):
    """Titles (of anything but Café posts) that start like what is being typed."""
    words = text.query_words(q)
    if not words or len(text.fold(words[-1])) < 2 and len(words) == 1:
        return []
    backend = get_search_backend()
    # Ids first, then the few rows shown (as run_search does).
    queryset = visible_documents(user).filter(suggestable=True).only("pk")
    ids = [doc.pk for doc in backend.autocomplete(" ".join(words), queryset)[:limit]]
    visitor = text.language_of(translation.get_language())
    return [
        {"title": doc.heading, "url": _url_for(doc, visitor), "kind": str(Kind(doc.kind).label)}
        for doc in _rows(ids)
    ]


PAGE_KINDS = (Kind.PUBLICATION, Kind.PAGE, Kind.COURSE, Kind.LESSON, Kind.WEBINAR)
API_MAX_RESULTS = 500


def page_ids(q, user, limit=API_MAX_RESULTS):
    """Ids of the pages that match ``q`` for ``user``, best first: the read API's
    ``?search=``, on the same permission-aware query as the results page."""
    words, quoted = parse(" ".join(str(q)[:MAX_QUERY_LENGTH].split()))
    search_query = build_query(words, quoted)
    if search_query is None:
        return []
    queryset = visible_documents(user).filter(kind__in=PAGE_KINDS)
    results = get_search_backend().search(search_query, queryset)[:limit]
    seen, ids = set(), []
    for source_id in (doc.source_id for doc in results):
        if source_id not in seen:  # a lesson's preview and full rows are one page
            seen.add(source_id)
            ids.append(source_id)
    return ids
