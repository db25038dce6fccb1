"""``sanling demo``: migrate, load the demo county, print the logins and serve it on 127.0.0.1:8000.

It refuses production outright, and a database holding anything the demo did not make unless the operator
names the database (``--force`` and the name typed, or ``--confirm=NAME``). ``--reset`` empties the
database first, audit trail included, so it asks (or takes ``--yes``)."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from sanling.core.confirm import database_label, database_named, yes_asked
from sanling.demo.county import COUNTY, DEMO_YEAR
from sanling.demo.services import (
    DEMO_PASSWORD,
    DemoRefused,
    demo_foreign_data,
    demo_handlers_create,
    demo_load,
    demo_mark,
    demo_users_create,
)
from sanling.regions.models import Region


class Command(BaseCommand):
    help = (
        "启动演示县区：迁移数据库、载入演示数据（郾城区模型）、打印演示账号并启动服务。生产环境一律拒绝；"
        "数据库中有非演示数据时，须 --force 并输入数据库名，或 --confirm=数据库名。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="只载入数据，不启动服务")
        parser.add_argument("--reset", action="store_true", help="清空数据库（含审计日志）后重新载入，须确认")
        parser.add_argument("--yes", action="store_true", help="--reset 不再询问")
        parser.add_argument(
            "--force", action="store_true", help="数据库中有非演示数据时仍写入（需输入数据库名确认）"
        )
        parser.add_argument("--confirm", metavar="DBNAME", help="不经提示确认：给出要写入的数据库名")

    def handle(self, *args, host: str, port: int, no_serve: bool, reset: bool, **options):
        if settings.PRODUCTION:
            raise CommandError("生产环境（SANLING_ENV=production）不载入演示数据，也不清空数据库。")
        self.stdout.write("==> 迁移数据库")
        call_command("migrate", interactive=False, verbosity=0)
        label = database_label()
        foreign = demo_foreign_data()
        named = bool(foreign) and database_named(
            confirm=options["confirm"],
            force=options["force"],
            prompt=f"数据库 {label} 中有演示程序以外的数据：\n    " + "\n    ".join(foreign),
        )
        if foreign and not named:
            raise CommandError(
                f"拒绝在数据库 {label} 中载入演示数据：其中有演示程序以外的数据——"
                + "；".join(foreign)
                + f"。演示请用空数据库（例如另设 SANLING_VAR_DIR 或 DATABASE_URL）；确要写入，"
                f"用 --force 并输入数据库名，或 --confirm={label}。"
            )
        if reset:
            question = f"--reset 将清空数据库 {label} 的全部数据（含审计日志），再重新载入演示数据。"
            if not named and not yes_asked(yes=options["yes"], prompt=question):
                raise CommandError("未清空数据库：--reset 须确认（在终端输入 yes，或加 --yes）。")
            call_command("flush", interactive=False, verbosity=0)
        try:
            users = self._load()
        except DemoRefused as refused:
            raise CommandError(str(refused)) from None
        call_command("collectstatic", interactive=False, verbosity=0)
        self._print_logins(host, port, users)
        if no_serve:
            return
        if settings.LANDING_YEAR is None:  # the demo's figures are of its data's year, not of this one
            settings.LANDING_YEAR = DEMO_YEAR
        self.stdout.write(
            f"首页默认显示演示数据所在的 {settings.LANDING_YEAR} 年（SANLING_LANDING_YEAR；正式部署默认显示本年度）。"
        )
        call_command("serve", host=host, port=port)

    def _load(self) -> list[tuple[str, str, str]]:
        if Region.objects.filter(code=COUNTY[0]).exists():
            self.stdout.write("==> 演示数据已存在（--reset 可重新载入）")
            demo_mark()
            return demo_users_create() + demo_handlers_create()
        self.stdout.write("==> 载入演示县区（区划、部门、7205 个创建主体、地图）")
        result = demo_load(folder=settings.VAR_DIR / "demo")
        for name, counts in result.files.items():
            self.stdout.write(f"    {name}：新增 {counts.created}")
        return demo_users_create() + demo_handlers_create()

    def _print_logins(self, host: str, port: int, users: list[tuple[str, str, str]]) -> None:
        url = f"http://{host}:{port}/"
        self.stdout.write(self.style.SUCCESS(f"\n演示地址：{url}"))
        self.stdout.write(f"API 文档：{url}api/v1/docs/（登录后可直接试用；其他系统用“API”页面生成的令牌）")
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username, name, role in users:
            self.stdout.write(f"    {username:<12} {name}  {role}")
