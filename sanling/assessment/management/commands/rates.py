"""``sanling rates``: 达标率 of a region for a period, from the same engine as every screen."""

import csv
import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sanling.assessment.periods import parse_assessable
from sanling.assessment.selectors import region_rates
from sanling.core.workbooks import csv_text
from sanling.regions.models import Region

GROUPS = {"village": "village", "unit": "unit"}
BY = {"self": "self", "child": "child", "department": "department", "category": "category"}


class Command(BaseCommand):
    help = (
        "按区划、期间查询达标率：--by child 列出下级，--by department 列出行业部门，--by category 列出类别。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--region", required=True, help="区划代码")
        parser.add_argument("--period", required=True, help="期间：2021、2021Q3 或 2021-07")
        parser.add_argument("--by", choices=list(BY), default="self")
        parser.add_argument(
            "--group", choices=list(GROUPS), help="village 村社区 / unit 企事业，默认两组都列"
        )
        parser.add_argument("--format", choices=["table", "csv", "json"], default="table")

    def handle(self, *args, region: str, period: str, by: str, group: str | None, format: str, **options):
        try:
            parsed = parse_assessable(period, today=timezone.localdate())
        except ValidationError as error:
            raise CommandError(error.messages[0]) from None
        node = Region.objects.filter(code=region).first()
        if node is None:
            raise CommandError(f"未知的区划代码“{region}”。")
        rows = [row.as_dict() for row in region_rates(region=node, period=parsed, by=by, group=group)]
        for row in rows:
            row["rate"] = None if row["rate"] is None else float(row["rate"])
        if format == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
        elif format == "csv":
            writer = csv.DictWriter(
                self.stdout, fieldnames=list(rows[0]) if rows else ["region_code"], lineterminator="\n"
            )
            writer.writeheader()
            # A region or department name beginning with "=" must not become a formula in a spreadsheet.
            writer.writerows(
                {key: csv_text(value) if isinstance(value, str) else value for key, value in row.items()}
                for row in rows
            )
        else:
            self._table(rows)

    def _table(self, rows: list[dict]) -> None:
        titles = {"village": "村社区", "unit": "企事业"}
        for row in rows:
            name = row.get("department_name") or row.get("category") or row["region_name"]
            rate = "—" if row["rate"] is None else f"{row['rate']:.2f}%"
            self.stdout.write(
                f"{row['region_code']:<16}{name:<14}{row['period']:<9}{titles[row['group']]:<5}"
                f"达标 {row['compliant']:>6}/{row['active']:<6} {rate:>8}   "
                f"破零上访 {row['broke_petition']:>4}  破零事故 {row['broke_accident']:>4}  破零案件 {row['broke_case']:>4}"
            )
