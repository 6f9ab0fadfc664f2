"""The topics consultations are filed under on the hub: a council's usual services."""

from django.db import migrations

TOPICS = [
    ("Bins, waste and recycling", "waste"),
    ("Budget and council tax", "budget"),
    ("Children, families and schools", "children-and-schools"),
    ("Community safety", "community-safety"),
    ("Environment and climate", "environment"),
    ("Health and social care", "health-and-care"),
    ("Housing", "housing"),
    ("Leisure, culture and libraries", "leisure-and-culture"),
    ("Parks and open spaces", "parks"),
    ("Planning and regeneration", "planning"),
    ("Roads, transport and parking", "transport"),
]


def add_topics(apps, schema_editor):
    Topic = apps.get_model("engagement", "Topic")
    for name, slug in TOPICS:
        Topic.objects.get_or_create(slug=slug, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("engagement", "0001_initial")]
    operations = [migrations.RunPython(add_topics, migrations.RunPython.noop)]
