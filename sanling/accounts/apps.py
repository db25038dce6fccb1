from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "sanling.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        # Django's login signal is the one place every login path (the app's page, the admin's, any later
        # second-factor step) passes through; the rule lives in the service.
        user_logged_in.connect(_audit_break_glass_login, dispatch_uid="sanling.break_glass_login")


def _audit_break_glass_login(sender, request, user, **kwargs) -> None:
    from .services import break_glass_login_audit

    break_glass_login_audit(user=user)
