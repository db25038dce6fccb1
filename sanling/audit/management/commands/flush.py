"""``sanling flush`` with a guard: Django's flush empties every table, the audit trail included, after one
"yes". Typed at a shell (``sanling flush``) it is refused in production (``SANLING_ENV=production``) whatever
the options, and on a database holding audit entries unless the operator names the database (``--force``
and the name typed at the prompt, or ``--confirm=NAME``). Code that calls it (the test runner between
tests; ``demo --reset``, which refuses production and asks first) goes through unguarded."""

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands import flush

from sanling.audit.models import AuditEntry
from sanling.core.confirm import database_label, database_named


class Command(flush.Command):
    help = (
        "清空数据库（含审计日志）。生产环境一律拒绝；数据库中有审计日志时，须 --force 并输入数据库名，"
        "或 --confirm=数据库名。"
    )
    typed = False  # set when run from the command line rather than called by code

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--force", action="store_true", help="数据库中有审计日志时仍清空（需输入数据库名确认）"
        )
        parser.add_argument("--confirm", metavar="DBNAME", help="不经提示确认：给出要清空的数据库名")

    def run_from_argv(self, argv):
        self.typed = True
        super().run_from_argv(argv)

    def handle(self, **options):
        if not self.typed:
            return self._flush(**options)
        if settings.PRODUCTION:
            raise CommandError(
                "生产环境（SANLING_ENV=production）不允许清空数据库：审计日志须保留至少 180 天。"
            )
        if AuditEntry.objects.exists():
            count = AuditEntry.objects.count()
            named = database_named(
                confirm=options.get("confirm"),
                force=options.get("force", False),
                prompt=f"数据库 {database_label()} 中有 {count} 条审计日志，清空会把它们一并删除。",
            )
            if not named:
                raise CommandError(
                    f"拒绝清空：数据库 {database_label()} 中有 {count} 条审计日志。确需清空时先归档"
                    f"（sanling audit archive），再用 --force 并输入数据库名，或 --confirm={database_label()}。"
                )
            options["interactive"] = False  # the database was named: no second question
        return self._flush(**options)

    def _flush(self, **options):
        """Empty the tables, then write back what the migrations seeded (``sanling.core.seeds``): a flushed
        database is a fresh one, with its dictionary lists and presets, not one missing them."""
        from sanling.core.seeds import reseed

        super().handle(**options)
        reseed()
