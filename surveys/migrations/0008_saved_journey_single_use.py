# Resume links become single use, expire, and need the reference for About you answers
# (surveys/saved_journeys.py). Journeys saved before could be reached only by links of the old form,
# which no longer exist, and may hold dates of birth: they are deleted.

from django.db import migrations, models


def delete_saved_journeys(apps, schema_editor):
    apps.get_model("surveys", "SavedJourney").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0007_equality_key_and_section_known"),
    ]

    operations = [
        migrations.RunPython(delete_saved_journeys, migrations.RunPython.noop),
        migrations.AddField(
            model_name="savedjourney",
            name="reference_attempts",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="savedjourney",
            name="expires_at",
            field=models.DateTimeField(),
        ),
        migrations.AlterField(
            model_name="savedjourney",
            name="data",
            field=models.JSONField(help_text="The wizard's stored step data: an age, never a date of birth."),
        ),
    ]
