"""The default 走访 themes. 六促六防 is the seeds' (郾城区: "常态化开展“六促六防”专项行动……深入群众家中走访"),
and so are 矛盾排查 and 法律服务 (the same passage: "排查各类矛盾纠纷867起……为群众提供法律服务3130余人次");
入户宣传, 政策宣讲, 节日慰问 and 其他 are ours, the themes county ledgers commonly use. A county edits the list
in the data dictionary."""

from django.db import migrations

THEMES = [
    ("six_promotions", "六促六防"),
    ("dispute_screening", "矛盾排查"),
    ("legal_service", "法律服务"),
    ("publicity", "入户宣传"),
    ("policy_briefing", "政策宣讲"),
    ("festival_greeting", "节日慰问"),
    ("other", "其他"),
]


def seed(apps, schema_editor):
    Entry = apps.get_model("dictionary", "Entry")
    for order, (code, label) in enumerate(THEMES, start=1):
        Entry.objects.get_or_create(
            type="visit_theme", code=code, defaults={"label": label, "order": order * 10}
        )


def unseed(apps, schema_editor):
    Entry = apps.get_model("dictionary", "Entry")
    Entry.objects.filter(type="visit_theme", code__in=[code for code, _label in THEMES]).delete()


class Migration(migrations.Migration):
    dependencies = [("dictionary", "0005_alter_entry_type"), ("visits", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
