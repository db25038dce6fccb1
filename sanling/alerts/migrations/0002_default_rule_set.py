"""The default 四色预警 rule set (ours: the seeds name the four colours, not their rules), in force from
1900-01-01 until a county makes a new version."""

import datetime

from django.db import migrations


def create_default(apps, schema_editor):
    from sanling.alerts.conditions import default_rule_set_write

    RuleSet = apps.get_model("alerts", "RuleSet")
    if RuleSet.objects.exists():
        return
    default_rule_set_write(
        RuleSet,
        apps.get_model("alerts", "Rule"),
        apps.get_model("alerts", "Consequence"),
        apps.get_model("alerts", "RegionThreshold"),
        datetime.date(1900, 1, 1),
    )


def delete_default(apps, schema_editor):
    apps.get_model("alerts", "RuleSet").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("alerts", "0001_initial")]

    operations = [migrations.RunPython(create_default, delete_default)]
