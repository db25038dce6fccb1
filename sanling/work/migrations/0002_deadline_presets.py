"""The two deadline presets: the 《信访工作条例》 (2022) one, the default, and the seed's
"7日内回复、3个月内答复办理结果" (博爱县). The extension and review periods of the seed's set are not in the
seed: they are the 条例's, and a county edits them."""

from django.db import migrations

PRESETS = [
    {
        "code": "regulation-2022",
        "name": "《信访工作条例》（受理告知15日、办理60日可延30日、复查复核30日）",
        "is_default": True,
        "accept_amount": 15,
        "accept_unit": "days",
        "result_amount": 60,
        "result_unit": "days",
        "result_from": "accepted",
    },
    {
        "code": "seed-7d-3m",
        "name": "7日内回复、3个月内答复办理结果",
        "is_default": False,
        "accept_amount": 7,
        "accept_unit": "days",
        "result_amount": 3,
        "result_unit": "months",
        "result_from": "received",
    },
]


def seed(apps, schema_editor):
    DeadlineRuleSet = apps.get_model("work", "DeadlineRuleSet")
    for preset in PRESETS:
        DeadlineRuleSet.objects.get_or_create(code=preset["code"], defaults=preset)


def unseed(apps, schema_editor):
    apps.get_model("work", "DeadlineRuleSet").objects.filter(code__in=[p["code"] for p in PRESETS]).delete()


class Migration(migrations.Migration):
    dependencies = [("work", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
