"""``sanling remind [--on DATE] [--dry-run]``: the daily reminders by hand (the same as the 07:00 job)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sanling.work.reminders import remind


def parse_day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"日期“{text}”无效，请写成 2025-03-01 的形式。") from None


class Command(BaseCommand):
    help = (
        "发送待办提醒：临期、逾期的案件告知承办人，逾期较久的告知所在单位负责人（与每天 7:00 的任务相同）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--on", help="提醒所针对的日期（默认今天），如 2025-03-01")
        parser.add_argument("--dry-run", action="store_true", help="只统计将发送的提醒，不写入、不发送")

    def handle(self, *args, on: str | None, dry_run: bool, **options):
        day = parse_day(on) if on else timezone.localdate()
        summary = remind(on=day, dry_run=dry_run)
        title = f"待办提醒 {day.isoformat()}" + ("（试运行：未写入、未发送）" if dry_run else "")
        self.stdout.write(title)
        rows = summary.rows()
        width = max(len(str(label)) for label, _count in rows)
        for label, count in rows:
            # Chinese characters take two columns on a terminal: pad by display width.
            pad = (width - len(str(label))) * 2
            self.stdout.write(f"  {label}{' ' * pad}  {count:>6}")
        for failure in summary.failures:
            self.stderr.write(f"发送失败：{failure}")
