"""SQLite: the search index's generation, under which broad counts are kept
(gongshi.projects.search_index.GENERATION_CREATE). Nothing on PostgreSQL."""

from django.db import migrations

from gongshi.projects import search_index


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        with schema_editor.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0010_project_name_index"),
    ]

    operations = [
        migrations.RunPython(
            run(search_index.GENERATION_CREATE), run(search_index.GENERATION_DROP)
        ),
    ]
