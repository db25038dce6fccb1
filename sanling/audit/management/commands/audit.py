"""``sanling audit``: verify the chains (optionally against an anchor file, or an archive file offline),
write an anchor of the chains' heads, archive old entries to a file."""

import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sanling.audit.anchors import audit_anchor_check, audit_anchor_write
from sanling.audit.archive import audit_archive_verify, audit_archive_write
from sanling.audit.selectors import ChainProblem, audit_verify_chains


def chain_name(chain: str) -> str:
    return {"global": "全局链", "anchor": "锚定文件", "archive": "归档文件"}.get(chain, f"{chain} 链")


class Command(BaseCommand):
    help = (
        "审计日志：verify 逐条链（每县一条、另有全局链）校验带密钥的哈希链，发现任何改动或删除即以非零状态退出"
        "（--anchor 文件：同时核对锚定的链头；--archive 文件：离线校验归档文件）；anchor --to 文件：把签名的链头"
        "追加到数据库之外的文件；archive --before 日期 --to 文件：把该日期前的条目连同哈希写入文件（不删除任何条目）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify", "anchor", "archive"])
        parser.add_argument("--anchor", type=Path, help="verify：核对此锚定文件中的链头")
        parser.add_argument("--archive", type=Path, help="verify：离线校验此归档文件（不读数据库）")
        parser.add_argument("--to", type=Path, help="anchor/archive：写入的文件")
        parser.add_argument("--before", help="archive：归档此日期（YYYY-MM-DD）之前的条目")

    def handle(self, *args, action: str, **options):
        if action == "anchor":
            return self._anchor(options["to"])
        if action == "archive":
            return self._archive(options["before"], options["to"])
        if options["archive"]:
            return self._verify_archive(options["archive"])
        return self._verify(options["anchor"])

    def _verify(self, anchor: Path | None) -> None:
        reports = audit_verify_chains()
        failed = 0
        for report in reports:
            if report.problems:
                failed += 1
                self.stderr.write(f"{chain_name(report.chain)}：检查 {report.checked} 条，未通过。")
                self._problems(report.problems)
            else:
                self.stdout.write(f"{chain_name(report.chain)}：{report.checked} 条，校验通过。")
        checked = sum(report.checked for report in reports)
        problems = sum(len(report.problems) for report in reports)
        if anchor is not None:
            found = audit_anchor_check(path=self._readable(anchor))
            if found:
                failed += 1
                problems += len(found)
                self.stderr.write(f"锚定文件 {anchor}：未通过。")
                self._problems(found)
            else:
                self.stdout.write(f"锚定文件 {anchor}：锚定的链头都在，未被截断或改写。")
        if failed:
            raise CommandError(
                f"审计日志校验未通过：{len(reports)} 条链共 {checked} 条，{failed} 处未通过，共 {problems} 个问题。"
            )
        self.stdout.write(f"审计日志完整：{len(reports)} 条链共 {checked} 条，哈希链校验通过。")

    def _verify_archive(self, path: Path) -> None:
        checked, problems = audit_archive_verify(path=self._readable(path))
        if problems:
            self._problems(problems)
            raise CommandError(f"归档文件 {path} 校验未通过：{len(problems)} 个问题。")
        self.stdout.write(f"归档文件 {path}：{checked} 条，校验通过。")

    def _anchor(self, path: Path | None) -> None:
        if path is None:
            raise CommandError("请用 --to 指定锚定文件（应在数据库服务器之外，例如另一台机器或只追加存储）。")
        record = audit_anchor_write(path=path)
        self.stdout.write(f"已把 {len(record['heads'])} 条链的链头签名后追加到 {path}。")

    def _archive(self, before: str | None, path: Path | None) -> None:
        if not before or path is None:
            raise CommandError("请用 --before YYYY-MM-DD 和 --to 文件 指定归档范围和文件。")
        try:
            day = datetime.date.fromisoformat(before)
        except ValueError:
            raise CommandError(f"日期 {before} 无效，应为 YYYY-MM-DD。") from None
        try:
            spans = audit_archive_write(before=day, path=path)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        count = sum(last - first + 1 for first, last in spans.values())
        self.stdout.write(
            f"已把 {day} 之前的 {count} 条审计日志（{len(spans)} 条链）连同哈希写入 {path}；数据库中的条目均保留。"
        )

    def _problems(self, problems: list[ChainProblem]) -> None:
        for problem in problems:
            where = "" if problem.chain in ("anchor", "archive") else f"第 {problem.seq} 条"
            self.stderr.write(f"  {chain_name(problem.chain)}{where}：{problem.reason}")

    @staticmethod
    def _readable(path: Path) -> Path:
        if not path.is_file():
            raise CommandError(f"找不到文件 {path}。")
        return path
