"""Who may see personal data in clear: one predicate for pages, the API and every export."""

from django.conf import settings


def may_unmask(user_or_scope) -> bool:
    """Whether a user (or a ``Scope``) may unmask personal fields, always with a reason and audited.

    Only the roles that keep the register and must reach a unit's contact (``SANLING_UNMASK_ROLES``, by
    default 县级管理员, 乡镇操作员 and 行业部门) and the operator's full scope (a superuser, the shell).
    Leaders, auditors and grid workers see masks only: what they do needs no one's phone number. The three
    duties of 三权分立 never unmask, whatever the setting says: they manage the system, not the register."""
    from sanling.accounts.models import DUTY_ROLES
    from sanling.accounts.scope import Scope, scope_for

    if user_or_scope is None:
        return False
    if isinstance(user_or_scope, Scope):
        scope = user_or_scope
    else:
        if not getattr(user_or_scope, "is_active", False):
            return False
        scope = scope_for(user_or_scope)
    if scope.everything:
        return True
    return scope.role in settings.SANLING_UNMASK_ROLES and scope.role not in DUTY_ROLES
