"""The 四防 of the seeds' 郾城区: "市公安局郾城分局组织开展“四防行动”(人防、技防、物防、心防),构筑“全天候、多层次”的大巡防
格局,切实提高街面见警率、管事率". A county edits the list in the data dictionary."""

from django.db import migrations

DEFENCE_TYPES = [("人防", "人防"), ("技防", "技防"), ("物防", "物防"), ("心防", "心防")]


def seed(apps, schema_editor):
    Entry = apps.get_model("dictionary", "Entry")
    for order, (code, label) in enumerate(DEFENCE_TYPES, start=1):
        Entry.objects.get_or_create(type="defence_type", code=code, defaults={"label": label, "order": order * 10})


def unseed(apps, schema_editor):
    apps.get_model("dictionary", "Entry").objects.filter(
        type="defence_type", code__in=[code for code, _label in DEFENCE_TYPES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("patrols", "0001_initial"), ("dictionary", "0005_alter_entry_type")]
    operations = [migrations.RunPython(seed, unseed)]
