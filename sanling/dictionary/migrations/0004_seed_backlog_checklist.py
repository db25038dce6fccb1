"""A default 积案 checklist. The seeds name 四定四包 without defining it; this is the reading county ledgers
commonly use (定领导、定人员、定方案、定时限; 包调查、包处理、包化解、包稳控), ours and not the seeds'. A county
edits the list in the data dictionary."""

from django.db import migrations

CHECKLIST = [
    ("fix_leader", "定领导"),
    ("fix_staff", "定人员"),
    ("fix_plan", "定方案"),
    ("fix_deadline", "定时限"),
    ("own_investigation", "包调查"),
    ("own_handling", "包处理"),
    ("own_resolution", "包化解"),
    ("own_stability", "包稳控"),
]


def seed(apps, schema_editor):
    Entry = apps.get_model("dictionary", "Entry")
    for order, (code, label) in enumerate(CHECKLIST, start=1):
        Entry.objects.get_or_create(
            type="backlog_checklist", code=code, defaults={"label": label, "order": order * 10}
        )


def unseed(apps, schema_editor):
    Entry = apps.get_model("dictionary", "Entry")
    Entry.objects.filter(type="backlog_checklist", code__in=[code for code, _label in CHECKLIST]).delete()


class Migration(migrations.Migration):
    dependencies = [("dictionary", "0003_alter_entry_type")]
    operations = [migrations.RunPython(seed, unseed)]
