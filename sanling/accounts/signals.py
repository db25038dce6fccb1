"""Django's login signals, handed to the services: audit entries and failure counts for every door."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from sanling.audit.context import client_ip

from .events import auth_event
from .lockout import login_failure_record, login_success_record


@receiver(user_logged_in, dispatch_uid="sanling_login_succeeded")
def login_succeeded(sender, request, user, **kwargs) -> None:
    login_success_record(username=user.get_username())
    auth_event("login.succeeded", user=user)


@receiver(user_logged_out, dispatch_uid="sanling_logged_out")
def logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        auth_event("logout", user=user)


@receiver(user_login_failed, dispatch_uid="sanling_login_failed")
def login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = str(credentials.get("username", ""))[:150]
    if request is not None and getattr(request, "login_lockout", None) is not None:
        return  # refused unchecked while locked: no guess was tried
    login_failure_record(username=username, ip=client_ip(request) if request is not None else "")
    auth_event("login.failed", username=username)
