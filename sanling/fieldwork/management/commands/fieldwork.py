"""``sanling fieldwork stats`` and ``sanling fieldwork overdue``: the 基层工作 figures of a region for a period
(hazards, key-population visits, household visits, patrols, meetings), and its hazards and key-population
visits past due on a day — from the same selectors as the dashboard's panel and the domains' pages. The shell
operator's scope is everything, as for ``sanling cases``."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sanling.assessment.periods import parse_assessable
from sanling.exchange.values import parse_date
from sanling.fieldwork.figures import FieldworkFigures, fieldwork_figures
from sanling.fieldwork.overdue import OVERDUE_COLUMNS, overdue_fieldwork
from sanling.regions.models import Region
from sanling.work.management.commands.cases import _aligned

FORMATS = ["table", "json"]


def _region(code: str) -> Region:
    node = Region.objects.filter(code=code).first()
    if node is None:
        raise CommandError(f"未知的区划代码“{code}”。")
    return node


def _cell(value) -> str:
    if value is None:
        return "—"
    return str(value)


class Command(BaseCommand):
    help = "基层工作：stats 按区划、期间统计隐患整改、重点人群走访、入户走访、巡防和510会议；overdue 列出某日超期的隐患和重点人群走访。"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="stats|overdue")
        stats = actions.add_parser(
            "stats", help="隐患整改率、重点人群走访完成率、入户走访覆盖率、巡防、510会议"
        )
        stats.add_argument("--region", required=True, help="区划代码")
        stats.add_argument("--period", required=True, help="期间：2025、2025Q1 或 2025-03")
        stats.add_argument("--format", choices=FORMATS, default="table")
        overdue = actions.add_parser("overdue", help="某日超期的隐患和重点人群走访")
        overdue.add_argument("--region", required=True, help="区划代码")
        overdue.add_argument("--on", help="日期 YYYY-MM-DD，默认今天")
        overdue.add_argument("--format", choices=FORMATS, default="table")

    def handle(self, *args, action: str, **options):
        if action == "stats":
            self._stats(options["region"], options["period"], options["format"])
        else:
            self._overdue(options["region"], options.get("on"), options["format"])

    def _stats(self, region: str, period: str, format: str) -> None:
        try:
            parsed = parse_assessable(period, today=timezone.localdate())
        except ValidationError as error:
            raise CommandError(error.messages[0]) from None
        figures = fieldwork_figures(region=_region(region), period=parsed)
        if format == "json":
            self.stdout.write(json.dumps(figures.as_dict(), ensure_ascii=False, indent=2))
        else:
            self._stats_table(figures)

    def _stats_table(self, figures: FieldworkFigures) -> None:
        self.stdout.write(f"{figures.region_code} {figures.region_name}  {figures.period}")
        for section in figures.sections:
            self.stdout.write(f"【{section.title}】")
            rows = [[label, _cell(value)] for label, value in section.rows()]
            for line in _aligned(rows, right={1}) if rows else []:
                self.stdout.write("  " + line)

    def _overdue(self, region: str, on: str | None, format: str) -> None:
        day = timezone.localdate() if not on else parse_date(on)
        if day is None:
            raise CommandError(f"“{on}”不是有效日期，请按 YYYY-MM-DD 填写，例如 2025-03-31。")
        rows = [row.as_dict() for row in overdue_fieldwork(region=_region(region), on=day)]
        if format == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        table = [[label for _key, label in OVERDUE_COLUMNS]]
        table += [[_cell(row[key]) for key, _label in OVERDUE_COLUMNS] for row in rows]
        for line in _aligned(table, right={5}):
            self.stdout.write(line)
        self.stdout.write(f"共 {len(rows)} 件（{day.isoformat()}）")
