"""``sanling audit verify``: check that no audit entry was changed, removed or cut off, chain by chain."""

from django.core.management.base import BaseCommand, CommandError

from sanling.audit.models import GLOBAL_CHAIN
from sanling.audit.selectors import audit_verify_chains


def chain_name(chain: str) -> str:
    return "全局链" if chain == GLOBAL_CHAIN else f"{chain} 链"


class Command(BaseCommand):
    help = "审计日志：verify 逐条链（每县一条、另有全局链）校验哈希链，发现任何改动或删除即以非零状态退出。"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, action: str, **options):
        reports = audit_verify_chains()
        failed = 0
        for report in reports:
            if report.problems:
                failed += 1
                self.stderr.write(f"{chain_name(report.chain)}：检查 {report.checked} 条，未通过。")
                for problem in report.problems:
                    self.stderr.write(f"  {chain_name(problem.chain)}第 {problem.seq} 条：{problem.reason}")
            else:
                self.stdout.write(f"{chain_name(report.chain)}：{report.checked} 条，校验通过。")
        checked = sum(report.checked for report in reports)
        problems = sum(len(report.problems) for report in reports)
        if failed:
            raise CommandError(
                f"审计日志校验未通过：{len(reports)} 条链共 {checked} 条，"
                f"{failed} 条链发现 {problems} 处问题。"
            )
        self.stdout.write(f"审计日志完整：{len(reports)} 条链共 {checked} 条，哈希链校验通过。")
