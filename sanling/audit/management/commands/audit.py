"""``sanling audit verify``: check that no audit entry was changed, removed or cut off."""

from django.core.management.base import BaseCommand, CommandError

from sanling.audit.selectors import audit_verify


class Command(BaseCommand):
    help = "审计日志：verify 校验哈希链，发现任何改动或删除即以非零状态退出。"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, action: str, **options):
        checked, problems = audit_verify()
        for problem in problems:
            self.stderr.write(f"第 {problem.seq} 条：{problem.reason}")
        if problems:
            raise CommandError(f"审计日志校验未通过：检查 {checked} 条，发现 {len(problems)} 处问题。")
        self.stdout.write(f"审计日志完整：{checked} 条，哈希链校验通过。")
