"""The search index of each engine (gongshi.projects.search_index).

The search text is recomputed first: the squeezed name now comes first (the name tier of the
relevance order reads it) and the developer's credit code is in it.
"""

from django.db import migrations

from gongshi.projects import search_index
from gongshi.projects.search_text import search_text_for


def recompute(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    changed = []
    for project in Project.objects.select_related("region__parent", "developer").iterator(2000):
        project.search_text = search_text_for(project)
        changed.append(project)
    Project.objects.bulk_update(changed, ["search_text"], batch_size=500)


def create_index(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        search_index.register_functions(None, connection)
        statements = search_index.SQLITE_CREATE
    elif connection.vendor == "postgresql":
        statements = search_index.POSTGRES_CREATE
    else:
        return
    for statement in statements:
        schema_editor.execute(statement, params=None)


def drop_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": search_index.SQLITE_DROP, "postgresql": search_index.POSTGRES_DROP}
    for statement in statements.get(vendor, []):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0005_buildings_and_flats"),
        ("organisations", "0001_initial"),
        ("regions", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(recompute, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
