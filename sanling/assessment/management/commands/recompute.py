"""``sanling recompute [--check] [--year 2021 …]``: rebuild the 达标率 rollups from raw rows, or check them."""

from django.core.management.base import BaseCommand, CommandError

from sanling.assessment.services import assessment_check, assessment_recompute
from sanling.core.progress import terminal_progress


class Command(BaseCommand):
    help = (
        "从原始数据重建达标率统计；--check 只检查：找出统计看不到的数据（无当前归属的主体、路径过期的区划等），"
        "并比对维护中的统计与重建结果，有问题时以非零状态退出。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="只检查，不写入")
        parser.add_argument(
            "--year", type=int, action="append", help="只处理这些年度（可重复；重建时会开启该年度）"
        )

    def handle(self, *args, check: bool, year: list[int] | None, **options):
        # A bar on stderr when it is a terminal; nothing at all when piped.
        bar = terminal_progress(self.stderr)
        try:
            if check:
                differences = assessment_check(years=year, progress=bar)
            else:
                periods = assessment_recompute(years=year, progress=bar)
        finally:
            if bar is not None:
                bar.close()
        if check:
            for line in differences[:200]:
                self.stdout.write(line)
            if differences:
                raise CommandError(
                    f"检查发现 {len(differences)} 处问题：统计看不到的数据，或维护中的统计与重建结果不一致。"
                )
            self.stdout.write(self.style.SUCCESS("所有数据都计入了统计，维护中的统计与重建结果完全一致。"))
            return
        self.stdout.write(self.style.SUCCESS(f"已重建 {periods} 个期间的统计。"))
