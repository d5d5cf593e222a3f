"""PostgreSQL: Wagtail's index entries point at a row by its id as text
(``object_id``); an index on ``id::varchar(50)::text`` lets the search join reach each
document directly instead of scanning the table once per matching entry."""

from django.db import migrations

INDEX = "search_doc_id_as_text"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON search_searchdocument "
            "((((id)::character varying(50))::text))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("search", "0003_languages")]

    operations = [migrations.RunPython(create, drop)]
