"""Meeting kinds and their rules. The 510 is the seeds' 龙塔街道: "引导社区推行“510”圆桌议事会(“5”即党员代表、居民代表、
网格员、网格长和街道干部,“10”即每月召开一次会议,“0”即实现党群关系零距离)制度" — monthly, with those five categories. 动员会
and 推进会 are held as needed, with no required participants (ours). A county edits the list in the data
dictionary and the rules through ``meeting_rule_set``."""

from django.db import migrations

KINDS = [
    ("510圆桌议事会", "“510”圆桌议事会", "monthly", ["party_member", "resident", "grid_member", "grid_head", "street_cadre"]),
    ("动员会", "动员会", "none", []),
    ("推进会", "推进会", "none", []),
]


def seed(apps, schema_editor):
    Entry = apps.get_model("dictionary", "Entry")
    Rule = apps.get_model("meetings", "MeetingKindRule")
    for order, (code, label, frequency, categories) in enumerate(KINDS, start=1):
        Entry.objects.get_or_create(type="meeting_kind", code=code, defaults={"label": label, "order": order * 10})
        Rule.objects.get_or_create(
            kind=code, defaults={"frequency": frequency, "level": "village", "participant_categories": categories}
        )


def unseed(apps, schema_editor):
    codes = [code for code, *_rest in KINDS]
    apps.get_model("meetings", "MeetingKindRule").objects.filter(kind__in=codes).delete()
    apps.get_model("dictionary", "Entry").objects.filter(type="meeting_kind", code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial"), ("dictionary", "0005_alter_entry_type")]
    operations = [migrations.RunPython(seed, unseed)]
