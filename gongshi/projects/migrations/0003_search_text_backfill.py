"""Backfill Project.search_text and, on PostgreSQL, index it for substring search."""

from django.db import migrations

from gongshi.projects.search_text import search_text_for


def backfill(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    changed = []
    for project in Project.objects.select_related("region__parent", "developer"):
        project.search_text = search_text_for(project)
        changed.append(project)
    Project.objects.bulk_update(changed, ["search_text"], batch_size=500)


def create_trigram_index(apps, schema_editor):
    # Serves ProjectQuerySet.matching(): search_text LIKE '%term%' (pg_trgm handles
    # arbitrary substrings; SQLite scans the column, which stays fast at 10,000s of rows).
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS project_search_trgm ON projects_project "
        "USING gin (search_text gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS project_search_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0002_search_text"),
        ("regions", "0001_initial"),
        ("organisations", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(create_trigram_index, drop_trigram_index),
    ]
