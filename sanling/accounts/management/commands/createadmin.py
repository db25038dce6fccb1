"""``sanling createadmin USERNAME --role system_admin --region CODE``: the first system administrator,
security administrator or auditor of a deployment, made by the operator at the shell.

After issue 14 (三权分立) a county administrator no longer manages accounts, so on an existing deployment
nobody can until the operator makes the first system and security administrators here. Runs through the
same services as the web pages (``account_create`` then ``account_grant``), in the operator's full scope,
audited as the operating-system user; prints a one-time password the account must change at first login.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from sanling.accounts.models import DUTY_ROLES, Role
from sanling.accounts.scope import EVERYTHING
from sanling.accounts.services import account_create, account_grant
from sanling.regions.models import Region

ROLE_NAMES = {"system_admin": "系统管理员", "security_admin": "安全管理员", "auditor": "审计员"}


class Command(BaseCommand):
    help = "创建系统管理员、安全管理员或审计员账号（三权分立），打印一次性密码。"

    def add_arguments(self, parser):
        parser.add_argument("username", help="登录名")
        parser.add_argument(
            "--role", required=True, choices=sorted(str(role) for role in DUTY_ROLES), help="角色"
        )
        parser.add_argument("--region", required=True, metavar="CODE", help="管辖区划代码（通常为县级）")
        parser.add_argument("--name", default="", help="姓名（默认同角色名）")

    def handle(self, *args, username: str, role: str, region: str, name: str, **options):
        place = Region.objects.filter(code=region).first()
        if place is None:
            raise CommandError(f"没有代码为 {region} 的区划。")
        try:
            with transaction.atomic():
                user, password = account_create(
                    actor_scope=EVERYTHING, username=username, full_name=name or ROLE_NAMES[role]
                )
                account_grant(
                    actor_scope=EVERYTHING, user=user, role=Role(role), region=place, department=None
                )
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"已创建{ROLE_NAMES[role]} {username}（{place.name}）。一次性密码（仅显示这一次）："
            )
        )
        self.stdout.write(password)
        self.stdout.write("首次登录时必须修改密码。")
