"""Locking out password guessers, on every door a password goes through (web login, Django admin login,
API token issue): they all call ``django.contrib.auth.authenticate``, whose one backend here refuses a
locked account or address before any password is checked.

- An **account** (the login name tried, known or not) is locked after ``LOGIN_ACCOUNT_FAILURES`` (5)
  failures within ``LOGIN_FAILURE_WINDOW_MINUTES`` (15), from whatever addresses.
- A **source** address (an IPv6 client's /64) after ``LOGIN_SOURCE_FAILURES`` failures against any
  accounts in the same window.
- A lock lasts ``LOGIN_LOCKOUT_MINUTES`` (15), or until ``lockout_clear`` (``sanling unlock``, the
  lockouts page). Only failures count; a successful login starts its account's count again.

Failures and locks are rows in the database, so every process serving the site sees the same counts (the
cache is per process unless a shared one is configured). Every lock is logged and audited.
"""

import datetime
import ipaddress
import logging
import operator
from functools import reduce

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from sanling.audit.context import client_ip, current_actor

from .events import auth_event
from .models import Lockout, LockoutKind, LoginFailure

logger = logging.getLogger("sanling.security")


def account_key(username: str) -> str:
    """The name an account's failures are counted under: case and spaces do not make a new account."""
    return (username or "").strip().lower()[:150]


def locked_message() -> str:
    """What a locked login hears, whether the password was right or not."""
    return _(
        "Too many failed logins: this account or address is locked. Try again in %(minutes)s minutes "
        "or ask an administrator to unlock it."
    ) % {"minutes": settings.LOGIN_LOCKOUT_MINUTES}


def lockouts_in_force() -> QuerySet:
    return Lockout.objects.filter(cleared_at__isnull=True, until__gt=timezone.now())


def lockouts_for(scope) -> QuerySet:
    """The lockouts in force an administrator may see and lift: every source address, and the accounts
    they manage (``Scope.users``); a superuser sees all, names that are no account included."""
    current = lockouts_in_force()
    if scope.everything:
        return current
    managed = scope.users().annotate(key=Lower("username")).values("key")
    return current.filter(Q(kind=LockoutKind.SOURCE) | Q(kind=LockoutKind.ACCOUNT, key__in=managed))


def source_key(ip: str) -> str:
    """The name a source's failures are counted under: an IPv4 address, or an IPv6 address's /64 network
    (one host usually holds a whole /64, so counting single IPv6 addresses would count nothing)."""
    try:
        address = ipaddress.ip_address(ip.strip())
    except ValueError:
        return ip.strip()[:45]
    if address.version == 4:
        return str(address)
    if address.ipv4_mapped is not None:  # ::ffff:192.0.2.1 is that IPv4 client
        return str(address.ipv4_mapped)
    return str(ipaddress.ip_network(f"{address}/64", strict=False))


def login_lockout(*, username: str, ip: str) -> Lockout | None:
    """The lockout in force on this account or this address, if any."""
    wanted = []
    if account_key(username):
        wanted.append(Q(kind=LockoutKind.ACCOUNT, key=account_key(username)))
    if ip:
        wanted.append(Q(kind=LockoutKind.SOURCE, key=source_key(ip)))
    if not wanted:
        return None
    return lockouts_in_force().filter(reduce(operator.or_, wanted)).order_by("-until").first()


@transaction.atomic
def login_failure_record(*, username: str, ip: str) -> list[Lockout]:
    """Count a failed password login and lock the account or the address that reached its limit."""
    now = timezone.now()
    window_start = now - datetime.timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)
    name, source = account_key(username), source_key(ip) if ip else ""
    LoginFailure.objects.create(username=name, ip=source, at=now)
    LoginFailure.objects.filter(at__lt=window_start).delete()  # they count no more
    locked = []
    for kind, key, field, limit in (
        (LockoutKind.ACCOUNT, name, "username", settings.LOGIN_ACCOUNT_FAILURES),
        (LockoutKind.SOURCE, source, "ip", settings.LOGIN_SOURCE_FAILURES),
    ):
        if not key or limit <= 0:
            continue
        # Failures before the last lock of this key were paid for by that lock.
        last_lock = Lockout.objects.filter(kind=kind, key=key).aggregate(at=Max("started_at"))["at"]
        since = max(window_start, last_lock) if last_lock else window_start
        failures = LoginFailure.objects.filter(**{field: key}, at__gt=since).count()
        if failures >= limit:
            locked.append(_lock(kind=kind, key=key, failures=failures, now=now))
    return locked


def _lock(*, kind: str, key: str, failures: int, now: datetime.datetime) -> Lockout:
    lockout = Lockout.objects.create(
        kind=kind,
        key=key,
        started_at=now,
        until=now + datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES),
        failures=failures,
    )
    note = f"{failures} 次登录失败，锁定至 {timezone.localtime(lockout.until):%Y-%m-%d %H:%M}"
    if kind == LockoutKind.ACCOUNT:
        auth_event("lockout.account", username=key, note=note)
    else:
        auth_event("lockout.source", address=key, note=note)
    return lockout


def login_success_record(*, username: str) -> None:
    """A successful login: the account's earlier failures count no more."""
    LoginFailure.objects.filter(username=account_key(username)).delete()


@transaction.atomic
def lockout_clear(*, target: str, among: QuerySet | None = None) -> int:
    """Lift the lockouts in force on ``target``, a login name or an address, of those ``among`` (by default
    all); returns how many were lifted. Audited as ``lockout.cleared`` by whoever acts (the page's
    administrator, the command's operating-system user)."""
    kind, key = _lockout_target(target.strip())
    shown = among if among is not None else lockouts_in_force()
    cleared = shown.filter(kind=kind, key=key).update(
        cleared_at=timezone.now(), cleared_by=current_actor().name[:150]
    )
    if cleared:
        if kind == LockoutKind.ACCOUNT:
            auth_event("lockout.cleared", username=key, note="解除账号锁定")
        else:
            auth_event("lockout.cleared", address=key, note="解除来源地址锁定")
    return cleared


def _lockout_target(target: str) -> tuple[str, str]:
    """(kind, key) for what an operator names: an address, an IPv6 /64 as the lockouts page shows it, or
    else a login name."""
    try:
        return LockoutKind.SOURCE, source_key(str(ipaddress.ip_address(target)))
    except ValueError:
        pass
    if "/" in target:
        try:
            return LockoutKind.SOURCE, str(ipaddress.ip_network(target, strict=False))
        except ValueError:
            pass
    return LockoutKind.ACCOUNT, account_key(target)


class LockoutModelBackend(ModelBackend):
    """Django's username and password backend, refusing a locked account or address before the password
    is checked. The refusal marks the request (``login_lockout``) so the door answers 429 with
    ``locked_message`` and the failure signal does not count it as a guess."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(self._username_field())
        ip = client_ip(request) if request is not None else ""
        lockout = login_lockout(username=username or "", ip=ip)
        if lockout is not None:
            if request is not None:
                request.login_lockout = lockout
            logger.warning(
                "login.refused user=%s ip=%s locked=%s:%s", username, ip or "-", lockout.kind, lockout.key
            )
            raise PermissionDenied  # authenticate() stops here: no other backend, no password check
        return super().authenticate(request, username=username, password=password, **kwargs)

    @staticmethod
    def _username_field() -> str:
        from django.contrib.auth import get_user_model

        return get_user_model().USERNAME_FIELD
