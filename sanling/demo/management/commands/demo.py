"""``sanling demo``: migrate, load the demo county, print the logins and serve it on 127.0.0.1:8000."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from sanling.demo.county import COUNTY, DEMO_YEAR
from sanling.demo.services import DEMO_PASSWORD, demo_load, demo_users_create
from sanling.regions.models import Region


class Command(BaseCommand):
    help = "启动演示县区：迁移数据库、载入演示数据（郾城区模型）、打印演示账号并启动服务。"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="只载入数据，不启动服务")
        parser.add_argument("--reset", action="store_true", help="清空数据库后重新载入")

    def handle(self, *args, host: str, port: int, no_serve: bool, reset: bool, **options):
        self.stdout.write("==> 迁移数据库")
        call_command("migrate", interactive=False, verbosity=0)
        if reset:
            call_command("flush", interactive=False, verbosity=0)
        if Region.objects.filter(code=COUNTY[0]).exists():
            self.stdout.write("==> 演示数据已存在（--reset 可重新载入）")
            users = demo_users_create()
        else:
            self.stdout.write("==> 载入演示县区（区划、部门、7205 个创建主体、地图）")
            result = demo_load(folder=settings.VAR_DIR / "demo")
            for name, counts in result.files.items():
                self.stdout.write(f"    {name}：新增 {counts.created}")
            users = demo_users_create()
        call_command("collectstatic", interactive=False, verbosity=0)
        url = f"http://{host}:{port}/"
        self.stdout.write(self.style.SUCCESS(f"\n演示地址：{url}"))
        self.stdout.write(f"API 文档：{url}api/v1/docs/（登录后可直接试用；其他系统用“API”页面生成的令牌）")
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username, name, role in users:
            self.stdout.write(f"    {username:<12} {name}  {role}")
        if not no_serve:
            if settings.LANDING_YEAR is None:  # the demo's figures are of its data's year, not of this one
                settings.LANDING_YEAR = DEMO_YEAR
            self.stdout.write(
                f"首页默认显示演示数据所在的 {settings.LANDING_YEAR} 年（SANLING_LANDING_YEAR；正式部署默认显示本年度）。"
            )
            call_command("serve", host=host, port=port)
