from django.db import migrations, models


def mark_declared(apps, schema_editor):
    """A number other than the default was declared by the developer: keep it."""
    Disclosure = apps.get_model("disclosures", "Disclosure")
    Disclosure.objects.filter(instance=1, required_instances__gt=1).update(required_declared=True)


class Migration(migrations.Migration):
    dependencies = [
        ("disclosures", "0006_project_last_published"),
        ("projects", "0009_building_sales_batch"),
    ]

    operations = [
        migrations.AddField(
            model_name="disclosure",
            name="required_declared",
            field=models.BooleanField(default=False, verbose_name="应公示份数由开发单位填报"),
        ),
        migrations.RunPython(mark_declared, migrations.RunPython.noop),
    ]
