"""``sanling cases stats`` and ``sanling cases overdue``: the casework figures of a region for a period, and
its open cases past due on a day — from the same selectors as the dashboard."""

import csv
import json
import unicodedata

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sanling.assessment.periods import parse_assessable
from sanling.core.workbooks import csv_text
from sanling.exchange.values import parse_date
from sanling.regions.models import Region
from sanling.work.figures import CaseFigures, case_figures, overdue_items

FORMATS = ["table", "csv", "json"]
# (key, label, is a rate) in the order the table prints them.
STATS_LINES = (
    ("disputes_registered", "矛盾纠纷登记", False),
    ("disputes_resolved", "已化解", False),
    ("dispute_rate", "化解率", True),
    ("resolved_in_village", "化解在组、村", False),
    ("village_share", "不出村率", True),
    ("resolved_in_town", "化解在组、村、镇", False),
    ("town_share", "不出镇率", True),
    ("petitions_received", "受理信访", False),
    ("petitions_concluded", "已办结", False),
    ("conclusion_rate", "办结率", True),
    ("petitions_satisfied", "满意（含基本满意）", False),
    ("satisfaction_rate", "满意率", True),
    ("first_petitions", "初信初访", False),
    ("first_concluded", "初信初访已化解", False),
    ("first_rate", "初信初访化解率", True),
    ("bypass", "越级访", False),
    ("collective", "集体访", False),
    ("agency_cases", "信访代理", False),
    ("agency_concluded", "代理已办结", False),
    ("agency_conclusion_rate", "代理办结率", True),
    ("agency_satisfied", "代理满意", False),
    ("agency_satisfaction_rate", "代理满意率", True),
    ("increment", "增量（期内新增案件）", False),
    ("stock", "存量（期初在办案件）", False),
    ("backlog_stock", "期初积案", False),
    ("overdue_disputes", "超期矛盾纠纷", False),
    ("overdue_petitions", "超期信访", False),
    ("overdue_agency", "超期信访代理", False),
    ("overdue", "超期合计", False),
)
OVERDUE_COLUMNS = (
    ("ref", "编号"),
    ("kind", "类型"),
    ("step", "环节"),
    ("due_on", "办理期限"),
    ("days_overdue", "超期天数"),
    ("organisation", "承办单位"),
    ("handler", "承办人"),
)


def _region(code: str) -> Region:
    node = Region.objects.filter(code=code).first()
    if node is None:
        raise CommandError(f"未知的区划代码“{code}”。")
    return node


def _width(text: str) -> int:
    """Columns ``text`` takes on a terminal: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _aligned(rows: list[list[str]], right: set[int] = frozenset()) -> list[str]:
    """Rows of cells padded to their column's display width (``right``: the columns of numbers)."""
    widths = [max(_width(row[index]) for row in rows) for index in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = []
        for index, cell in enumerate(row):
            padding = " " * (widths[index] - _width(cell))
            cells.append(padding + cell if index in right else cell + padding)
        lines.append("  ".join(cells).rstrip())
    return lines


def _rate(value) -> str:
    return "—" if value is None else f"{value:.2f}%"


class Command(BaseCommand):
    help = "矛盾纠纷和信访案件：stats 按区划、期间统计化解率、办结率等；overdue 列出某日超期的在办案件。"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="stats|overdue")
        stats = actions.add_parser("stats", help="化解率、不出村/不出镇率、办结率、满意率、增量、存量、超期")
        stats.add_argument("--region", required=True, help="区划代码")
        stats.add_argument("--period", required=True, help="期间：2025、2025Q1 或 2025-03")
        stats.add_argument("--format", choices=FORMATS, default="table")
        overdue = actions.add_parser("overdue", help="某日超期的在办案件")
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
        figures = case_figures(region=_region(region), period=parsed)
        data = figures.as_dict()
        if format == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        elif format == "csv":
            writer = csv.DictWriter(self.stdout, fieldnames=list(data), lineterminator="\n")
            writer.writeheader()
            writer.writerow(
                {key: csv_text(value) if isinstance(value, str) else value for key, value in data.items()}
            )
        else:
            self._stats_table(figures)

    def _stats_table(self, figures: CaseFigures) -> None:
        self.stdout.write(f"{figures.region_code} {figures.region_name}  {figures.period}")
        rows = [
            [label, _rate(getattr(figures, key)) if is_rate else str(getattr(figures, key))]
            for key, label, is_rate in STATS_LINES
        ]
        for line in _aligned(rows, right={1}):
            self.stdout.write("  " + line)
        self.stdout.write(f"  （超期按 {figures.overdue_on.isoformat()} 计）")

    def _overdue(self, region: str, on: str | None, format: str) -> None:
        day = timezone.localdate() if not on else parse_date(on)
        if day is None:
            raise CommandError(f"“{on}”不是有效日期，请按 YYYY-MM-DD 填写，例如 2025-03-31。")
        rows = [row.as_dict() for row in overdue_items(region=_region(region), on=day)]
        if format == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
        elif format == "csv":
            writer = csv.DictWriter(
                self.stdout, fieldnames=[key for key, _label in OVERDUE_COLUMNS], lineterminator="\n"
            )
            writer.writeheader()
            # An organisation or handler name beginning with "=" must not become a formula in a spreadsheet.
            writer.writerows(
                {key: csv_text(value) if isinstance(value, str) else value for key, value in row.items()}
                for row in rows
            )
        else:
            table = [[label for _key, label in OVERDUE_COLUMNS]]
            table += [[str(row[key]) for key, _label in OVERDUE_COLUMNS] for row in rows]
            for line in _aligned(table, right={4}):
                self.stdout.write(line)
            self.stdout.write(f"共 {len(rows)} 件（{day.isoformat()}）")
