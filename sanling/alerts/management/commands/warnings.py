"""``sanling warnings``: the 四色预警 of a region's subjects, from the same rules and evaluation as the pages."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from sanling.alerts.models import COLOUR_NAMES
from sanling.alerts.selectors import COLOURS, subject_warnings
from sanling.assessment.periods import parse_assessable
from sanling.regions.models import Region


class Command(BaseCommand):
    help = (
        "按区划、期间列出四色预警主体：主体代码、颜色、原因。按期间最后一天（进行中的期间按今天）的现行规则评估；"
        "--colour 只列一种颜色，--format json 输出 JSON。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--region", required=True, help="区划代码")
        parser.add_argument("--period", required=True, help="期间：2025、2025Q3 或 2025-07")
        parser.add_argument("--colour", default="", help="red 红 / orange 橙 / yellow 黄 / blue 蓝，默认全部")
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args, region: str, period: str, colour: str, format: str, **options):
        today = timezone.localdate()
        with translation.override("zh-hans"):
            try:
                parsed = parse_assessable(period, today=today)
            except ValidationError as error:
                raise CommandError(f"期间“{period}”无效：{error.messages[0]}") from None
        node = Region.objects.filter(code=region).first()
        if node is None:
            raise CommandError(f"未知的区划代码“{region}”。")
        colour = colour.strip().lower()
        if colour and colour not in COLOURS:
            raise CommandError(f"未知的预警颜色“{colour}”，应为 red、orange、yellow、blue 之一。")
        on = min(parsed.end, today)
        codes = dict(Region.objects.filter(path__startswith=node.path).values_list("pk", "code"))
        rows = [
            {
                "subject_code": warning.subject_code,
                "subject_name": warning.subject_name,
                "region_code": codes.get(warning.region_id, ""),
                "colour": warning.colour,
                "reasons": warning.reasons,
            }
            for warning in subject_warnings(region=node, on=on, colour=colour or None)
        ]
        if format == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"{node.name}（{node.code}）{parsed.key} 评估日 {on.isoformat()}：{len(rows)} 个主体有预警"
        )
        for row in rows:
            self.stdout.write(
                f"{row['subject_code']:<20}{COLOUR_NAMES[row['colour']]:<4}{row['subject_name']}  "
                + "；".join(row["reasons"])
            )
