"""The key-population categories and the default visit frequencies, as data a county edits.

From the seeds (浉河区: "对精神障碍患者、社区矫正人员等，要做到逐人见面，回访排查"): 精神障碍患者 and 社区矫正人员.
Ours (the usual ones in county ledgers, not in the seeds): 刑满释放人员（安置帮教）, 吸毒人员（社区戒毒康复）,
重点信访人员, 重点青少年, 其他.
The frequencies are ours too: 高风险 every 7 days, 中风险 every month, 低风险 every 3 months, for each category."""

from django.db import migrations

CATEGORIES = [
    ("mental_disorder", "精神障碍患者"),  # the seeds
    ("community_correction", "社区矫正人员"),  # the seeds
    ("released_prisoner", "刑满释放人员（安置帮教）"),
    ("drug_user", "吸毒人员"),
    ("key_petitioner", "重点信访人员"),
    ("key_youth", "重点青少年"),
    ("other", "其他"),
]
FREQUENCIES = [("high", 7, "days"), ("medium", 1, "months"), ("low", 3, "months")]


def seed(apps, schema_editor):
    Entry = apps.get_model("dictionary", "Entry")
    VisitFrequency = apps.get_model("keypeople", "VisitFrequency")
    for order, (code, label) in enumerate(CATEGORIES, start=1):
        Entry.objects.get_or_create(
            type="key_person_category", code=code, defaults={"label": label, "order": order * 10}
        )
        for risk, amount, unit in FREQUENCIES:
            VisitFrequency.objects.get_or_create(
                county=None, category=code, risk_level=risk, defaults={"amount": amount, "unit": unit}
            )


def unseed(apps, schema_editor):
    Entry = apps.get_model("dictionary", "Entry")
    VisitFrequency = apps.get_model("keypeople", "VisitFrequency")
    codes = [code for code, _label in CATEGORIES]
    VisitFrequency.objects.filter(county__isnull=True, category__in=codes).delete()
    Entry.objects.filter(type="key_person_category", code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("keypeople", "0001_initial"), ("dictionary", "0005_alter_entry_type")]
    operations = [migrations.RunPython(seed, unseed)]
