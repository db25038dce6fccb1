"""A default list of dispute categories (ours, not the seeds'): the kinds county mediation ledgers commonly
use. The codes equal the labels so that categories typed as free text before the list existed, and files
that carry the category as text, match without a mapping."""

from django.db import migrations

DISPUTE_CATEGORIES = [
    "婚姻家庭",
    "邻里纠纷",
    "土地承包",
    "山林土地",
    "劳动争议",
    "物业纠纷",
    "征地拆迁",
    "医疗纠纷",
    "交通事故",
    "消费纠纷",
    "其他",
]


def seed(apps, schema_editor):
    Entry = apps.get_model("dictionary", "Entry")
    for order, label in enumerate(DISPUTE_CATEGORIES, start=1):
        Entry.objects.get_or_create(
            type="dispute_category", code=label, defaults={"label": label, "order": order * 10}
        )


def unseed(apps, schema_editor):
    Entry = apps.get_model("dictionary", "Entry")
    Entry.objects.filter(type="dispute_category", code__in=DISPUTE_CATEGORIES).delete()


class Migration(migrations.Migration):
    dependencies = [("dictionary", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
