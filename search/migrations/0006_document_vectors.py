"""PostgreSQL: each document carries its own copy of its index entry's vectors.

Columns of the documents' table, not of the model (SQLite has no tsvector; Django never
reads them): ``search_title``, ``search_body``, ``search_autocomplete`` and
``search_title_norm``, copied from Wagtail's index entry when the document is indexed
(search.backends), and ``search_vector``, their ``title || body`` stored once, with a GIN
index. A search then reads one table: it filters by permissions, matches one
precomputed vector and ranks only the rows the person may read. Through the index
entries, every matching entry was ranked (and its vectors joined) before the join to
the documents dropped those the person may not read.

Also an index on ``indexed_at``: the spelling suggestion asks for its maximum.
"""

import django.utils.timezone
from django.db import migrations, models

TABLE = "search_searchdocument"
GIN = "search_doc_vector_gin"
AUTOCOMPLETE_GIN = "search_doc_autocomplete_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from modelsearch.conf import get_app_config

    entries = get_app_config().get_model("IndexEntry")._meta.db_table
    statements = [
        f"ALTER TABLE {TABLE} "
        "ADD COLUMN IF NOT EXISTS search_title tsvector, "
        "ADD COLUMN IF NOT EXISTS search_body tsvector, "
        "ADD COLUMN IF NOT EXISTS search_autocomplete tsvector, "
        "ADD COLUMN IF NOT EXISTS search_title_norm double precision NOT NULL DEFAULT 1.0, "
        "ADD COLUMN IF NOT EXISTS search_vector tsvector GENERATED ALWAYS AS "
        "(coalesce(search_title, ''::tsvector) || coalesce(search_body, ''::tsvector)) STORED",
        f"CREATE INDEX IF NOT EXISTS {GIN} ON {TABLE} USING gin (search_vector)",
        f"CREATE INDEX IF NOT EXISTS {AUTOCOMPLETE_GIN} ON {TABLE} "
        "USING gin (search_autocomplete)",
        # Documents indexed before this migration.
        f"UPDATE {TABLE} AS d SET search_title = e.title, search_body = e.body, "
        "search_autocomplete = e.autocomplete, search_title_norm = e.title_norm "
        f"FROM {entries} AS e JOIN django_content_type AS t ON t.id = e.content_type_id "
        "WHERE t.app_label = 'search' AND t.model = 'searchdocument' "
        "AND e.object_id = d.id::text",
    ]
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS search_vector, "
            "DROP COLUMN IF EXISTS search_title, DROP COLUMN IF EXISTS search_body, "
            "DROP COLUMN IF EXISTS search_autocomplete, "
            "DROP COLUMN IF EXISTS search_title_norm"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0005_search_indexes"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [
        migrations.AlterField(
            model_name="searchdocument",
            name="indexed_at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now),
        ),
        migrations.RunPython(create, drop),
    ]
