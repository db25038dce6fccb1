import datetime

from django.db import migrations

# Version 1 is the default policy of DESIGN.md, in force from the start of time.
VERSION_1 = {
    "version": 1,
    "effective_from": datetime.date(1900, 1, 1),
    "petition_levels": ["county", "city", "province", "national"],
    "exempt_higher_authority": True,
    "accident_types": ["accident", "public_safety"],
    "case_types": ["criminal_case", "security_case"],
    "note": "默认政策：县级及以上且非须由上级解决的信访破零上访；生产安全事故、公共安全事件破零事故；刑事、治安案件破零案件。",
}


def create_version_1(apps, schema_editor):
    apps.get_model("assessment", "Policy").objects.get_or_create(version=1, defaults=VERSION_1)


def delete_version_1(apps, schema_editor):
    apps.get_model("assessment", "Policy").objects.filter(version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial")]
    operations = [migrations.RunPython(create_version_1, delete_version_1)]
