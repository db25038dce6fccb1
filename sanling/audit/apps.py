from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "sanling.audit"
    verbose_name = _("Audit trail")

    def ready(self):
        from . import keys  # noqa: F401  (registers the check that production has an audit key)
