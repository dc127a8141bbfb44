"""Drop the covering indexes of 0004: no dashboard figure reads the versions any more.

The timeliness histogram, the late count and the monthly trend now sum the per-county
tallies publish_version keeps (gongshi/disclosures/tallies.py), so the two indexes only cost
every publication a write and the versions table ~80 MB at 1,000,000 versions.
"""

from importlib import import_module

from django.db import migrations

INDEXES = import_module("gongshi.supervision.migrations.0004_dashboard_version_indexes").INDEXES


class Migration(migrations.Migration):
    dependencies = [
        ("disclosures", "0003_derived_publication_state"),
        ("supervision", "0004_dashboard_version_indexes"),
    ]

    operations = [
        migrations.RunSQL(
            f"DROP INDEX IF EXISTS {name}",
            f"CREATE INDEX IF NOT EXISTS {name} ON disclosures_disclosureversion {columns}",
        )
        for name, columns in INDEXES
    ]
