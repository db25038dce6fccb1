"""``sanling unlock USERNAME|IP``: lift the login lockout of an account or a source address (audited)."""

from django.core.management.base import BaseCommand, CommandError

from sanling.accounts.lockout import lockout_clear, lockouts_in_force


class Command(BaseCommand):
    help = "解除登录锁定：给出登录名解除账号锁定，给出 IP 地址解除来源地址锁定；不带参数列出当前锁定。"

    def add_arguments(self, parser):
        parser.add_argument("target", nargs="?", help="登录名或 IP 地址")

    def handle(self, *args, target: str | None, **options):
        if not target:
            current = list(lockouts_in_force().order_by("-started_at"))
            for lockout in current:
                self.stdout.write(
                    f"{lockout.get_kind_display()} {lockout.key}：{lockout.failures} 次失败，"
                    f"锁定至 {lockout.until:%Y-%m-%d %H:%M} UTC"
                )
            if not current:
                self.stdout.write("当前没有被锁定的账号或地址。")
            return
        if not lockout_clear(target=target):
            raise CommandError(f"“{target}”当前没有被锁定。")
        self.stdout.write(f"已解除“{target}”的登录锁定。")
