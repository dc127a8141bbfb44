"""The log's index sequence (PostgreSQL only), the integrator's watermark and the function
a publisher waits for the integrator with (gongshi.integrity.sequencer).

The sequence starts after every index already used, so existing logs continue densely.
"""

from django.db import migrations, models

SEQUENCE = "integrity_log_index"

# After its commit a publisher calls this once: it returns (0, size) once leaf up_to is
# integrated (and signed, if asked), (1, size) when the caller got the integrator's lock
# (transaction level: the caller integrates in the same transaction, and a connection pooler
# in transaction mode cannot strand the lock on another server connection), (2, size) when a
# batch that started
# after the call's first look has ended without it (a number before it is in flight). One
# statement instead of a round trip per step; VOLATILE, so each query sees a fresh snapshot.
WAIT_FUNCTION = """
CREATE OR REPLACE FUNCTION integrity_log_wait(
    lock_key bigint, up_to bigint, signed boolean, OUT state int, OUT size bigint
) LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  done boolean;
BEGIN
  FOR attempt IN 1..3 LOOP
    IF attempt > 1 THEN
      SELECT h.tree_size, h.tree_size > up_to AND (NOT signed OR COALESCE(
               (SELECT MAX(c.tree_size) FROM integrity_checkpoint c), 0) > up_to)
        INTO size, done FROM integrity_loghead h WHERE h.id = 1;
      IF done THEN state := 0; RETURN; END IF;
    END IF;
    IF pg_try_advisory_xact_lock(lock_key) THEN state := 1; RETURN; END IF;
    PERFORM pg_advisory_lock_shared(lock_key);
    PERFORM pg_advisory_unlock_shared(lock_key);
  END LOOP;
  SELECT h.tree_size, h.tree_size > up_to AND (NOT signed OR COALESCE(
           (SELECT MAX(c.tree_size) FROM integrity_checkpoint c), 0) > up_to)
    INTO size, done FROM integrity_loghead h WHERE h.id = 1;
  state := CASE WHEN done THEN 0 ELSE 2 END;
END $$
"""


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
        cursor.execute(WAIT_FUNCTION)


def drop_sequence(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")
            cursor.execute("DROP FUNCTION IF EXISTS integrity_log_wait")


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
