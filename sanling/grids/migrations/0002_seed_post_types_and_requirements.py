"""The dictionary list of grid posts (post_type) and the default required posts.

The posts are the seeds': "一长两员" (网格长, 网格员, 老党员, 监督员 of 商桥镇's 三级网格), "一长三员", 楼栋长,
"一村一警" and 驻村民警, 调解员, 信访代理员, plus 专职网格员 and 二级/一级网格长 as the grid tiers have them.
The required posts — 网格长 and 网格员 in every grid, 楼栋长 in every 楼宇 — are OUR default reading of
"一长两员"/"一长三员" and 楼栋长; a county edits them.
"""

from django.db import migrations

POST_TYPES = [
    ("grid_leader", "网格长"),
    ("grid_member", "网格员"),
    ("full_time_grid_member", "专职网格员"),
    ("building_leader", "楼栋长"),
    ("village_police", "驻村民警（一村一警）"),
    ("mediator", "调解员"),
    ("supervisor", "监督员"),
    ("veteran_party_member", "老党员"),
    ("petition_agent", "信访代理员"),
    ("information_officer", "信息员"),
    ("security_volunteer", "平安志愿者"),
]

REQUIREMENTS = [
    ("grid", "grid_leader"),
    ("grid", "grid_member"),
    ("building", "building_leader"),
]


def seed(apps, schema_editor):
    Entry = apps.get_model("dictionary", "Entry")
    PostRequirement = apps.get_model("grids", "PostRequirement")
    for order, (code, label) in enumerate(POST_TYPES, start=1):
        Entry.objects.get_or_create(type="post_type", code=code, defaults={"label": label, "order": order * 10})
    for level, post_type in REQUIREMENTS:
        PostRequirement.objects.get_or_create(
            region=None, level=level, tier=None, post_type=post_type, defaults={"minimum": 1}
        )


def unseed(apps, schema_editor):
    Entry = apps.get_model("dictionary", "Entry")
    PostRequirement = apps.get_model("grids", "PostRequirement")
    PostRequirement.objects.filter(region=None, tier=None).delete()
    Entry.objects.filter(type="post_type", code__in=[code for code, _ in POST_TYPES]).delete()


class Migration(migrations.Migration):
    dependencies = [("grids", "0001_initial"), ("dictionary", "0005_alter_entry_type")]
    operations = [migrations.RunPython(seed, unseed)]
