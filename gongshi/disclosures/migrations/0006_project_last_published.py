"""Fill ``Project.last_published_at`` from the published versions (kept by publish_version
from now on, see :mod:`gongshi.disclosures.tallies`)."""

from django.db import migrations


def fill(apps, schema_editor):
    from gongshi.disclosures.tallies import _expected_last_published

    apps.get_model("projects", "Project").objects.update(
        last_published_at=_expected_last_published(apps)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("disclosures", "0005_instances"),
        ("projects", "0008_last_published"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
