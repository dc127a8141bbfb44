"""Recompute Project.search_text: parts are now stored without spaces and separator dots."""

from django.db import migrations

from gongshi.projects.search_text import search_text_for


def recompute(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    changed = []
    for project in Project.objects.select_related("region__parent", "developer"):
        project.search_text = search_text_for(project)
        changed.append(project)
    Project.objects.bulk_update(changed, ["search_text"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("projects", "0003_search_text_backfill")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
