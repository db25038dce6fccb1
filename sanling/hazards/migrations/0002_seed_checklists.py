"""The checklists and dictionary lists a county starts from; each row says whose wording it is.

The seeds' (verbatim): the 四查 of 郾城区应急管理局 "查风险隐患、查生产现场、查隐患排查、查工作制度"; the flood-season
check of 太钢 "重点检查本作业区域内的沟、孔、池"; 浉河区's "危险水域排查" and "校园内外食品、消防、治安及交通安全".
Ours (not the seeds'): the other items of the themed checks, the 消防 and 燃气 checklists, the hazard categories,
and the deadline rules (一般 30 days, 重大 90 days). A county edits all of them.
"""

from django.db import migrations

INSPECTION_TYPES = [
    # (code, label, whose wording)
    ("四查", "四查", "seeds"),
    ("汛期", "汛期安全检查", "seeds"),
    ("校园周边", "校园及周边安全", "seeds"),
    ("危险水域", "危险水域排查", "seeds"),
    ("消防", "消防安全检查", "ours"),
    ("燃气", "燃气安全检查", "ours"),
]

# (inspection type, item text, whose wording)
CHECKLIST = [
    ("四查", "查风险隐患", "seeds"),
    ("四查", "查生产现场", "seeds"),
    ("四查", "查隐患排查", "seeds"),
    ("四查", "查工作制度", "seeds"),
    ("汛期", "重点检查本作业区域内的沟、孔、池", "seeds"),
    ("汛期", "低洼易进水地段已堆放防汛沙袋、备好抽水设施", "seeds"),  # 太钢: "提前堆放防汛沙袋，准备抽水设施"
    ("汛期", "排水沟渠畅通，无淤堵", "ours"),
    ("校园周边", "校园内外食品安全", "seeds"),
    ("校园周边", "校园内外消防安全", "seeds"),
    ("校园周边", "校园周边治安", "seeds"),
    ("校园周边", "校园周边交通安全", "seeds"),
    ("危险水域", "危险水域警示标志齐全", "ours"),
    ("危险水域", "防护栏、救生设施完好", "ours"),
    ("危险水域", "巡查看护责任人落实", "ours"),
    ("消防", "消防通道畅通，无占用堵塞", "ours"),
    ("消防", "灭火器、消火栓完好有效", "ours"),
    ("消防", "电气线路无私拉乱接", "ours"),
    ("消防", "安全出口、疏散指示完好", "ours"),
    ("燃气", "燃气管道、软管无老化破损", "ours"),
    ("燃气", "安装燃气泄漏报警装置", "ours"),
    ("燃气", "瓶装液化气存放规范", "ours"),
]

# Ours: the kinds a county's 隐患台账 commonly uses.
HAZARD_CATEGORIES = ["安全生产", "消防安全", "燃气安全", "防汛", "溺水防范", "校园安全", "交通安全", "治安", "其他"]

DEADLINE_DAYS = {"general": 30, "major": 90}  # ours


def seed(apps, schema_editor):
    Entry = apps.get_model("dictionary", "Entry")
    ChecklistItem = apps.get_model("hazards", "ChecklistItem")
    Rule = apps.get_model("hazards", "HazardDeadlineRule")
    for order, (code, label, _whose) in enumerate(INSPECTION_TYPES, start=1):
        Entry.objects.get_or_create(type="inspection_type", code=code, defaults={"label": label, "order": order * 10})
    for order, label in enumerate(HAZARD_CATEGORIES, start=1):
        Entry.objects.get_or_create(type="hazard_category", code=label, defaults={"label": label, "order": order * 10})
    for order, (kind, text, _whose) in enumerate(CHECKLIST, start=1):
        ChecklistItem.objects.get_or_create(inspection_type=kind, text=text, defaults={"order": order * 10})
    for level, days in DEADLINE_DAYS.items():
        Rule.objects.get_or_create(level=level, defaults={"days": days})


def unseed(apps, schema_editor):
    apps.get_model("dictionary", "Entry").objects.filter(type__in=["inspection_type", "hazard_category"]).delete()


class Migration(migrations.Migration):
    dependencies = [("hazards", "0001_initial"), ("dictionary", "0005_alter_entry_type")]
    operations = [migrations.RunPython(seed, unseed)]
