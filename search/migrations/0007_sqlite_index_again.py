"""SQLite: migration 0005's index on the documents again.

On SQLite, Django alters a field by remaking the table (0006 added an index to
``indexed_at``), and the remade table keeps only the indexes the model declares: the
one 0005 wrote in SQL (``CAST(id AS varchar(50))`` and the filtered columns) was gone,
and every full-text match scanned the documents (seconds per search on ten thousand
posts instead of milliseconds). A later migration that alters this model's fields must
run ``create`` again. Nothing to do on PostgreSQL (ALTER TABLE keeps indexes).
"""

import importlib

from django.db import migrations

indexes = importlib.import_module("search.migrations.0005_search_indexes")


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        indexes.create(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("search", "0006_document_vectors")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
