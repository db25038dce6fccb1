"""``sanling report bulletin|monthly|quarterly --region CODE --period P --format docx|pdf --out PATH``: the
same document as the web and the API generate, written where it is told."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sanling.regions.models import Region
from sanling.reports.content import KIND_NAMES
from sanling.reports.services import check_request, report_file_bytes

KINDS = {"bulletin": "三零播报", "monthly": "月度小结", "quarterly": "季度分析"}
FIELD_NAMES = {"kind": "种类", "region": "区划", "period": "期间", "format": "格式"}


class Command(BaseCommand):
    help = "生成三零播报（bulletin，任一期间）、月度小结（monthly，一个月）或季度分析（quarterly，一个季度），Word 或 PDF。"

    def add_arguments(self, parser):
        parser.add_argument("kind", help="bulletin 三零播报 / monthly 月度小结 / quarterly 季度分析")
        parser.add_argument("--region", required=True, help="区划代码")
        parser.add_argument("--period", required=True, help="期间：2025、2025Q1 或 2025-03")
        parser.add_argument("--format", default="docx", help="docx（Word）或 pdf")
        parser.add_argument("--out", required=True, help="写入的文件路径")

    def handle(self, *args, kind: str, region: str, period: str, format: str, out: str, **options):
        if kind not in KINDS:
            raise CommandError(
                f"没有“{kind}”这种报告；可选 bulletin（三零播报）、monthly（月度小结）、quarterly（季度分析）。"
            )
        if format not in ("docx", "pdf"):
            raise CommandError(f"报告只能生成 Word（docx）或 PDF（pdf），不能是“{format}”。")
        node = Region.objects.filter(code=region).first()
        if node is None:
            raise CommandError(f"未知的区划代码“{region}”。")
        target = Path(out)
        if not target.parent.is_dir():
            raise CommandError(f"目录“{target.parent}”不存在。")
        if kind == "monthly" and not _shaped(period, "-"):
            raise CommandError(f"月度小结的期间是一个月，如 2025-03，不能是“{period}”。")
        if kind == "quarterly" and not _shaped(period, "Q"):
            raise CommandError(f"季度分析的期间是一个季度，如 2025Q1，不能是“{period}”。")
        try:
            parsed = check_request(scope=None, kind=kind, region=node, period=period, fmt=format)
        except ValidationError as error:
            messages = [
                f"{FIELD_NAMES.get(name, name)}：{'；'.join(items)}"
                for name, items in error.message_dict.items()
            ]
            raise CommandError("；".join(messages)) from None
        data = report_file_bytes(
            kind=kind, region=node, period=parsed, fmt=format, today=timezone.localdate()
        )
        target.write_bytes(data)
        self.stdout.write(
            f"已生成{node.name}{period_text(parsed)}{KIND_NAMES[kind]}：{target}（{len(data)} 字节）"
        )


def period_text(period) -> str:
    from sanling.reports.content import period_label

    return period_label(period)


def _shaped(period: str, mark: str) -> bool:
    return mark in period.strip().upper()
