"""The log's index sequence (PostgreSQL only) and the integrator's watermark.

The sequence starts after every index already used, so existing logs continue densely.
"""

from django.db import migrations, models

SEQUENCE = "integrity_log_index"


def create_sequence(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT GREATEST("
            "(SELECT COALESCE(MAX(tree_size), 0) FROM integrity_loghead),"
            ' (SELECT COALESCE(MAX("index") + 1, 0) FROM integrity_logentry))'
        )
        (start,) = cursor.fetchone()
        cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE} MINVALUE 0 START {int(start)}")


def drop_sequence(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")


class Migration(migrations.Migration):
    dependencies = [
        ("integrity", "0004_audit_request_id"),
    ]

    operations = [
        migrations.AddField(
            model_name="loghead",
            name="pending_last",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="loghead",
            name="pending_xid",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(create_sequence, drop_sequence, elidable=False),
    ]
