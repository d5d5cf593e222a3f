"""Indexes the search query needs on each database.

PostgreSQL: a GIN index on ``title || body`` of Wagtail's index entries. The database
backend matches a query against the two vectors joined (``(title || body) @@ query``);
without an index on that very expression every entry is joined and tested (a
sequential scan, slower with every post). The GIN indexes on ``title`` and ``body``
alone cannot serve that test.

SQLite: the entries point at a document by its id as text
(``object_id = CAST(id AS varchar(50))``); with an index on that expression each FTS5
match reaches its document directly instead of scanning the documents once per match
(search.backends joins them; PostgreSQL got the same index in 0004). The index also
holds every column the query filters, groups (facets) or sorts by, so a match never
reads its document's row, whose long ``content`` comes before those columns (SQLite
would walk its overflow pages): only the page's ten rows are read (search.query).
"""

from django.db import migrations

GIN = "search_entry_title_body_gin"
ID_AS_TEXT = "search_doc_id_as_text"
COVERED = (
    "read_level", "enrolled_course", "preview_of_course", "language", "languages",
    "suggestable", "kind", "topic_id", "year", "date",
)


def _entries_table():
    from modelsearch.conf import get_app_config

    return get_app_config().get_model("IndexEntry")._meta.db_table


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {GIN} ON {_entries_table()} "
                "USING gin ((title || body))"
            )
        elif vendor == "sqlite":
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {ID_AS_TEXT} ON search_searchdocument "
                f"(CAST(id AS varchar(50)), {', '.join(COVERED)})"
            )


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute(f"DROP INDEX IF EXISTS {GIN}")
        elif vendor == "sqlite":
            cursor.execute(f"DROP INDEX IF EXISTS {ID_AS_TEXT}")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0004_postgres_id_text_index"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create, drop)]
