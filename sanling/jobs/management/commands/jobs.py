"""``sanling jobs list|retry ID|fail ID|prune``: look after background jobs from the shell."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sanling.jobs.models import Job, JobStatus
from sanling.jobs.services import job_abandon, job_live, job_retry, jobs_prune


class Command(BaseCommand):
    help = (
        "后台任务：list 列出最近的任务；retry ID 重新运行失败的导出；"
        "fail ID 将因消费进程中断而卡住的任务标为失败；prune 删除过期的任务及其文件。"
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["list", "retry", "fail", "prune"])
        parser.add_argument("job", nargs="?", type=int, help="任务编号（retry、fail）")
        parser.add_argument("--status", choices=JobStatus.values, help="只列出该状态的任务（list）")
        parser.add_argument("--limit", type=int, default=50, help="最多列出多少个（list，默认 50）")
        parser.add_argument(
            "--older-than",
            type=int,
            metavar="DAYS",
            help=f"删除早于该天数结束的任务（prune，默认 SANLING_JOBS_RETENTION_DAYS={settings.JOBS_RETENTION_DAYS}）",
        )

    def handle(self, *args, action: str, job: int | None, **options):
        if action == "list":
            return self._list(options["status"], options["limit"])
        if action == "prune":
            days = options["older_than"]
            deleted = jobs_prune(older_than=None if days is None else datetime.timedelta(days=days))
            self.stdout.write(f"已删除 {deleted} 个过期的任务及其文件。")
            return None
        if job is None:
            raise CommandError(f"{action} 需要任务编号。")
        found = Job.objects.select_related("owner").filter(pk=job).first()
        if found is None:
            raise CommandError(f"没有编号为 {job} 的任务。")
        try:
            if action == "retry":
                again = job_retry(found)
                self.stdout.write(f"已重新排队：任务 {again.pk}。")
            else:
                job_abandon(found, message="任务中断（消费进程已停止），已由运维人员标为失败；请重新开始。")
                self.stdout.write(f"任务 {found.pk} 已标为失败。")
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        return None

    def _list(self, status: str | None, limit: int) -> None:
        jobs = Job.objects.select_related("owner").order_by("-created_at", "-pk")
        if status:
            jobs = jobs.filter(status=status)
        for job in jobs[:limit]:
            job = job_live(job)
            created = timezone.localtime(job.created_at).strftime("%Y-%m-%d %H:%M")
            self.stdout.write(
                f"{job.pk}\t{job.kind}\t{job.owner.get_username()}\t{job.get_status_display()}\t"
                f"{job.done}/{job.total}\t{created}\t{job.message}"
            )
