"""PostgreSQL: the permission filter before the match.

A search keeps the documents the person may read (``SearchDocument.objects.visible_to``:
their read levels) and matches the words in them. With one GIN index on every
document, a common word ("ciudades") was matched in all of them: a sequential scan
tested the words in every row, and only then dropped the rows of levels the person
may not read (PostgreSQL orders equally cheap conditions as it likes), or a bitmap
scan fetched every matching row to drop most of them. These GIN indexes hold only the
documents of the read levels a visitor (``everyone``) and a member (``everyone``,
``members``) may read, written as ``visible_to`` writes them, so the planner uses them
for those people: the index gives only the readable matches. People who may read
every level use the index on all documents (0006). Nothing to do on SQLite.
"""

from django.db import migrations

TABLE = "search_searchdocument"
# name -> the read levels it holds (community.permissions.read_levels)
INDEXES = {
    "search_doc_vector_everyone_gin": ("everyone",),
    "search_doc_vector_members_gin": ("everyone", "members"),
}


def _predicate(levels):
    if len(levels) == 1:
        return f"read_level = '{levels[0]}'"
    return "read_level IN (" + ", ".join(f"'{level}'" for level in levels) + ")"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name, levels in INDEXES.items():
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {TABLE} USING gin (search_vector) "
                f"WHERE {_predicate(levels)}"
            )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("search", "0007_sqlite_index_again")]

    operations = [migrations.RunPython(create, drop)]
