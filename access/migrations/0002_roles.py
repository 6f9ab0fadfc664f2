"""The four roles as Django groups with their permissions (access/roles.py)."""

from django.db import migrations

from access.roles import roles_sync


def create_roles(apps, schema_editor):
    roles_sync(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        # The roles hold permissions on these apps' models.
        ("audit", "0001_initial"),
        ("surveys", "0004_survey_team"),
        ("representativeness", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
