"""``sanling uploads prune``: delete uploaded bundles checked but never confirmed (run it from cron)."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand

from sanling.exchange.uploads import uploads_prune


class Command(BaseCommand):
    help = "清理上传的数据交换包：删除已检查但未确认导入、超过保留时间的文件。"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["prune"])
        parser.add_argument(
            "--older-than",
            type=int,
            metavar="MINUTES",
            help=f"删除早于该分钟数的上传（默认 SANLING_UPLOAD_RETENTION_MINUTES={settings.UPLOAD_RETENTION_MINUTES}）",
        )

    def handle(self, *args, action: str, older_than: int | None, **options):
        age = None if older_than is None else datetime.timedelta(minutes=older_than)
        deleted = uploads_prune(older_than=age)
        self.stdout.write(f"已删除 {deleted} 个过期的上传文件。")
