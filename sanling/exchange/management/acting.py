"""``--as USERNAME`` of ``sanling import`` and ``sanling export``: act in that user's scope, audited as them."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from sanling.accounts.scope import EVERYTHING, Scope, scope_for
from sanling.audit.context import Actor, acting
from sanling.audit.models import Source


def add_as_argument(parser) -> None:
    parser.add_argument(
        "--as",
        dest="as_user",
        metavar="USERNAME",
        help="以该用户的身份和管辖范围执行（默认：运维人员，全部范围）",
    )


@contextmanager
def acting_as(username: str | None) -> Iterator[Scope]:
    """The scope to run in: the operator's full scope, or that of ``username`` (who must administer
    somewhere), whose name the audit trail then records."""
    if not username:
        yield EVERYTHING
        return
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"没有名为 {username} 的在用账号。")
    scope = scope_for(user)
    if not scope.can_administer:
        raise CommandError(f"{username} 不是管理员，不能导入或导出数据交换包。")
    with acting(Actor(user=user, name=user.get_username(), source=Source.CLI)):
        yield scope
