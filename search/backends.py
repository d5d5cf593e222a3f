"""Wagtail's database search backends, taught Spanish (and English, French, Portuguese).

``WAGTAILSEARCH_BACKENDS["default"]["BACKEND"] = "search.backends"`` picks the one for
the database in use, as modelsearch's own ``database`` backend does:

- PostgreSQL: each document is indexed with its language's configuration
  (``allas_es``, ``allas_en``… = unaccent + the language's Snowball stemmer, created by
  migration 0002), and queries go through the visitor's language and Spanish.
- SQLite: FTS5 cannot stem Spanish, so models that declare ``analysed_search`` hand
  the index stems (``search.text.index_text``) and queries are stemmed the same way
  here.

Models without ``analysed_search`` (Wagtail's own page and image search in the admin)
keep the backends' ordinary behaviour. An OpenSearch/Elasticsearch cluster is a
settings change (``SEARCH_BACKEND``), see settings/base.py.
"""

import copy
import functools
from functools import reduce

from django.db import connection
from django.db.models import Expression, Value
from django.utils import translation
from modelsearch.query import And, Or, Phrase, PlainText

from search import text

DEFAULT_CONFIG = "allas_es"
TITLE_WEIGHT = 10.0
AUTOCOMPLETE_CONFIG = "allas_simple"


def pg_config(language):
    return f"allas_{text.language_of(language)}"


def query_languages():
    """The visitor's language and Spanish, in which most content is written."""
    visitor = text.language_of(translation.get_language())
    return [visitor] if visitor == "es" else [visitor, "es"]


def _analysed(compiler):
    return getattr(compiler.queryset.model, "analysed_search", False)


def SearchBackend(params):  # noqa: N802 - modelsearch looks a backend up by this name
    if connection.vendor == "postgresql":
        return _postgres_backend()(params)
    if connection.vendor == "sqlite" and _sqlite_fts_ready(connection.settings_dict["NAME"]):
        return _sqlite_backend()(params)
    from modelsearch.backends.database.fallback import DatabaseSearchBackend

    return DatabaseSearchBackend(params)


_FTS_READY = set()


def _sqlite_fts_ready(database):
    """FTS5 and its table are there (asked once per database file and process, not on
    every search; a missing table is asked again, as migrations may create it)."""
    if database not in _FTS_READY:
        from modelsearch.backends.database.sqlite.utils import fts5_available, fts_table_exists

        if fts5_available() and fts_table_exists():
            _FTS_READY.add(database)
    return database in _FTS_READY


# --- PostgreSQL -------------------------------------------------------------------------


class DocumentColumn(Expression):
    """A column of the searched table that its model does not declare (the vectors
    migration 0006 adds on PostgreSQL), in the query's own table."""

    def __init__(self, column, output_field):
        super().__init__(output_field=output_field)
        self.column = column

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.base_table)
        return f"{table}.{connection.ops.quote_name(self.column)}", []


@functools.cache
def _postgres_backend():
    from django.contrib.postgres.search import SearchQuery, SearchVectorField
    from django.db.models import FloatField
    from modelsearch.backends.database.postgres import postgres
    from modelsearch.backends.database.postgres.query import Lexeme
    from modelsearch.index import get_indexed_models
    from modelsearch.utils import get_content_type_pk

    IndexEntry = postgres.IndexEntry  # noqa: N806 - the model's name

    class Index(postgres.PostgresIndex):
        def add_items(self, model, objs):
            # One batch per language: the backend's config is read per indexer.
            groups = {}
            for obj in objs:
                language = getattr(obj, "search_language", None)
                config = pg_config(language) if language else self.backend.config
                groups.setdefault(config, []).append(obj)
            for config, group in groups.items():
                index = copy.copy(self)
                index.backend = copy.copy(self.backend)
                index.backend.config = config
                super(Index, index).add_items(model, group)
            if getattr(model, "analysed_search", False) and objs and not self._inserting:
                self._copy_vectors(model, [obj.pk for obj in objs])

        _inserting = False

        def insert_indexed(self, model, objs):
            """Insert new rows of ``model`` (an analysed one) already indexed: ids taken
            from its sequence, the index entries written, then each row with its
            vectors in the one INSERT. (``bulk_create`` then ``add_items`` wrote every
            row twice: inserted, then updated with its vectors, a dead version per row
            until VACUUM and a table twice its size after a rebuild.)"""
            connection = self.write_connection
            table = model._meta.db_table
            pk = model._meta.pk
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [table, pk.column, len(objs)],
                )
                for obj, (value,) in zip(objs, cursor.fetchall(), strict=True):
                    setattr(obj, pk.attname, value)
            self._inserting = True
            try:
                self.add_items(model, objs)
            finally:
                self._inserting = False
            fields = model._meta.concrete_fields
            quote = connection.ops.quote_name
            columns = ", ".join(quote(field.column) for field in fields)
            # Typed placeholders: VALUES alone would give PostgreSQL text to insert.
            row = "(" + ", ".join(f"%s::{field.db_type(connection)}" for field in fields) + ")"
            params = [
                field.get_db_prep_save(field.pre_save(obj, True), connection)
                for obj in objs for field in fields
            ]
            # Only the tables' and columns' names are formatted in.
            sql = (
                f"INSERT INTO {table} ({columns}, search_title, search_body, "  # noqa: S608
                "search_autocomplete, search_title_norm) "
                f"SELECT v.*, e.title, e.body, e.autocomplete, coalesce(e.title_norm, 1.0) "
                f"FROM (VALUES {', '.join([row] * len(objs))}) AS v ({columns}) "
                f"LEFT JOIN {IndexEntry._meta.db_table} AS e "
                f"ON e.content_type_id = %s AND e.object_id = v.{quote(pk.column)}::text"
            )
            with connection.cursor() as cursor:
                cursor.execute(sql, [*params, get_content_type_pk(model)])
            for obj in objs:
                obj._state.adding, obj._state.db = False, connection.alias

        def _refresh_title_norms(self, full=False):
            super()._refresh_title_norms(full=full)
            if full:  # Wagtail's update_index: every entry's norm changed
                for model in get_indexed_models():
                    if getattr(model, "analysed_search", False) and not model._meta.parents:
                        self._copy_vectors(model)

        def _copy_vectors(self, model, pks=None):
            """The entries' vectors and title norm into the documents' own columns
            (after add_items refreshed the norms), which the search reads."""
            table = model._meta.db_table
            # Only the two tables' names are formatted in.
            sql = (
                f"UPDATE {table} AS d SET search_title = e.title, search_body = e.body, "  # noqa: S608
                "search_autocomplete = e.autocomplete, search_title_norm = e.title_norm "
                f"FROM {IndexEntry._meta.db_table} AS e "
                "WHERE e.content_type_id = %s AND e.object_id = d.id::text"
            )
            params = [get_content_type_pk(model)]
            if pks is not None:
                sql += " AND d.id = ANY(%s) AND e.object_id = ANY(%s)"
                params += [list(pks), [str(pk) for pk in pks]]
            with self.write_connection.cursor() as cursor:
                cursor.execute(sql, params)

    class QueryMixin:
        def get_config(self, backend):
            if _analysed(self):
                return pg_config(query_languages()[0])
            return super().get_config(backend)

        def build_tsquery_content(self, query, config=None, invert=False):
            if not _analysed(self) or invert:
                return super().build_tsquery_content(query, config=config, invert=invert)
            configs = [config] if self.LAST_TERM_IS_PREFIX else [
                pg_config(language) for language in query_languages()
            ]
            if isinstance(query, Phrase):
                return reduce(lambda a, b: a | b, [
                    SearchQuery(query.query_string, search_type="phrase", config=c)
                    for c in configs
                ])
            if isinstance(query, PlainText):
                words = text.query_words(query.query_string)
                if not words:
                    return None
                per_config = []
                for c in configs:
                    terms = []
                    for position, word in enumerate(words):
                        prefix = self.LAST_TERM_IS_PREFIX and position == len(words) - 1
                        # The word, and its Python stem (which PostgreSQL's stems
                        # again): "ciudades" then finds "ciudad".
                        forms = {word} if prefix else {word, text.stem(word, c[-2:])}
                        terms.append(reduce(lambda a, b: a | b, [
                            Lexeme(form, prefix=prefix) for form in sorted(forms)
                        ]))
                    joined = reduce(
                        (lambda a, b: a & b) if query.operator == "and" else (lambda a, b: a | b),
                        terms,
                    )
                    per_config.append(SearchQuery(joined, search_type="raw", config=c))
                return reduce(lambda a, b: a | b, per_config)
            return super().build_tsquery_content(query, config=config, invert=invert)

    class DocumentSearchMixin:
        """For analysed models (the search's documents): one table. The match reads the
        stored ``title || body`` and the rank the copied title and body vectors and
        title norm (migration 0006), in the row the permission filter already kept:
        only what the person may read is matched and ranked, with modelsearch's rank
        (its weights, title norm, per-part ranks), so results and their order are the
        same as through the index entries."""

        MATCH_COLUMN = "search_vector"

        def search(self, config, start, stop, score_field=None, backend=None):
            if not (_analysed(self) and self.fields is None
                    and isinstance(self.query, (PlainText, Phrase, And, Or))):
                return super().search(config, start, stop, score_field, backend)
            tsquery = self.build_tsquery(self.query, config=config)
            if tsquery is None:
                return self.queryset.none()
            rank = self._build_rank_expression(self.get_index_vectors(tsquery), config)
            queryset = self.queryset.alias(
                _match_=DocumentColumn(self.MATCH_COLUMN, SearchVectorField())
            ).filter(_match_=tsquery)
            return self._apply_ordering_and_scoring(queryset, rank, start, stop, score_field)

        def get_index_vectors(self, search_query):
            if not _analysed(self):
                return super().get_index_vectors(search_query)
            return [
                (DocumentColumn("search_title", SearchVectorField()),
                 DocumentColumn("search_title_norm", FloatField())),
                (DocumentColumn("search_body", SearchVectorField()), 1.0),
            ]

    class Compiler(QueryMixin, DocumentSearchMixin, postgres.PostgresSearchQueryCompiler):
        pass

    class AutocompleteCompiler(QueryMixin, DocumentSearchMixin,
                               postgres.PostgresAutocompleteQueryCompiler):
        MATCH_COLUMN = "search_autocomplete"

        def get_config(self, backend):
            return backend.autocomplete_config

        def get_index_vectors(self, search_query):
            if not _analysed(self):
                return super().get_index_vectors(search_query)
            return [(DocumentColumn("search_autocomplete", SearchVectorField()), 1.0)]

    class Backend(postgres.PostgresSearchBackend):
        index_class = Index
        query_compiler_class = Compiler
        autocomplete_query_compiler_class = AutocompleteCompiler

        def __init__(self, params):
            super().__init__({"SEARCH_CONFIG": DEFAULT_CONFIG, **params})
            self.autocomplete_config = AUTOCOMPLETE_CONFIG

        def insert_indexed(self, model, objs):
            self.get_index_for_model(model).insert_indexed(model, objs)

    return Backend


# --- SQLite -----------------------------------------------------------------------------


def _fts_string(value):
    # FTS5 strings are double-quoted; analysed words hold only letters and digits.
    return '"' + value.replace('"', '""') + '"'


@functools.cache
def _sqlite_backend():
    from modelsearch.backends.database.sqlite import query as sqlite_query
    from modelsearch.backends.database.sqlite import sqlite

    class Raw(sqlite_query.LexemeCombinable, Value):
        """An FTS5 expression built here from analysed words only."""

        _output_field = sqlite_query.SearchQueryField()

        def as_sql(self, compiler, connection):
            return "%s", [self.value]

    class QueryMixin:
        def build_search_query_content(self, query, config=None):
            if not _analysed(self):
                return super().build_search_query_content(query, config=config)
            languages = query_languages()
            if isinstance(query, Phrase):
                phrases = sorted({
                    " ".join(text.stem(word, language)
                             for word in text.query_words(query.query_string))
                    for language in languages
                } - {""})
                if not phrases:
                    return None
                expression = " OR ".join(_fts_string(phrase) for phrase in phrases)
                return sqlite_query.SearchQueryExpression(Raw(f"({expression})"))
            if isinstance(query, PlainText):
                words = text.query_words(query.query_string)
                if not words:
                    return None
                terms = []
                for position, word in enumerate(words):
                    if self.LAST_TERM_IS_PREFIX and position == len(words) - 1:
                        terms.append(_fts_string(text.fold(word)) + "*")
                    elif self.LAST_TERM_IS_PREFIX:
                        terms.append(_fts_string(text.fold(word)))
                    else:
                        forms = text.variants(word, languages)
                        terms.append("(" + " OR ".join(_fts_string(f) for f in forms) + ")")
                joiner = " AND " if query.operator.lower() == "and" else " OR "
                return sqlite_query.SearchQueryExpression(Raw(f"({joiner.join(terms)})"))
            return super().build_search_query_content(query, config=config)

    class WeightedBM25(sqlite_query.BM25):
        """FTS5's bm25() with a weight per column (autocomplete, body, title)."""

        def __init__(self, weights):
            super().__init__()
            self.weights = weights

        def as_sql(self, compiler, connection, function=None, template=None):
            table = sqlite_query.SQLiteFTSIndexEntry._meta.db_table
            return f"bm25({table}, {', '.join(str(float(w)) for w in self.weights)})", []

    class JoinedSearchMixin:
        """One query for analysed models: the document table joined to the FTS table
        through its index entry, MATCH and bm25 evaluated once, by FTS5, for the
        matching rows. (modelsearch's own path filters ``pk IN (matches)`` and scores
        each row with a correlated subquery that runs the MATCH again per row:
        seconds on ten thousand documents.)"""

        def search(self, config, start, stop, score_field=None):
            query = sqlite_query.normalize(self.query)
            if not _analysed(self) or not isinstance(query, (PlainText, Phrase, And, Or)):
                return super().search(config, start, stop, score_field=score_field)
            content = self.build_search_query(query, config=config)
            if content is None:
                return self.queryset.none()
            match = sqlite_query.MatchExpression(self.fields or self.FTS_TABLE_FIELDS, content)
            # An inner join to the FTS table (its title is never NULL); the MATCH and
            # bm25() below name that table, which is the join's alias.
            queryset = self.queryset.filter(
                index_entries__sqliteftsindexentry__title__isnull=False
            ).filter(match)
            if self.order_by_relevance or score_field:
                queryset = queryset.annotate(
                    **{score_field or "_score": WeightedBM25(self.BM25_WEIGHTS)}
                )
            if self.order_by_relevance:
                # bm25() is lower for better matches.
                queryset = queryset.order_by(score_field or "_score", "-pk")
            elif not queryset.query.order_by:
                queryset = queryset.order_by("-pk")
            return queryset[start:stop]

    class Compiler(QueryMixin, JoinedSearchMixin, sqlite.SQLiteSearchQueryCompiler):
        # Columns: autocomplete, body, title. A word in the title counts as much as in
        # PostgreSQL's weight A against D, so both backends rank titles first.
        BM25_WEIGHTS = (0.0, 1.0, TITLE_WEIGHT)

    class AutocompleteCompiler(QueryMixin, JoinedSearchMixin,
                               sqlite.SQLiteAutocompleteQueryCompiler):
        BM25_WEIGHTS = (1.0, 0.0, 0.0)

    class Backend(sqlite.SQLiteSearchBackend):
        query_compiler_class = Compiler
        autocomplete_query_compiler_class = AutocompleteCompiler

    return Backend
