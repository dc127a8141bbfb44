"""Covering indexes for the regulator dashboard's figures over disclosure versions.

They live on ``disclosures_disclosureversion`` but serve only the supervision queries, so
they are created here (raw SQL, valid on SQLite and PostgreSQL). Measured with
bench/supervision_bench.py at 10,000 projects / 1,000,000 versions (BENCHMARKS.md).
"""

from django.db import migrations

INDEXES = [
    # timeliness_histogram() and late_first_publications().count(): first publications
    # (status, kind) with the disclosure to reach the area and the days, read from the index
    # alone instead of every row of the versions table.
    (
        "version_first_pub_timeliness",
        "(status, kind, disclosure_id, timeliness_days)",
    ),
    # monthly_trends(): publications of the last 12 months by published_at, with the
    # disclosure to reach the area, without fetching each version row.
    (
        "version_published_disclosure",
        "(status, published_at, disclosure_id)",
    ),
]


class Migration(migrations.Migration):
    dependencies = [
        ("disclosures", "0002_public_state"),
        ("supervision", "0003_timelinesssetting"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {name} ON disclosures_disclosureversion {columns}",
            f"DROP INDEX IF EXISTS {name}",
        )
        for name, columns in INDEXES
    ]
