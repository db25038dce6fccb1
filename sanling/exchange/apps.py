from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "sanling.exchange"
    verbose_name = _("Data exchange")

    def ready(self) -> None:
        # The web import runs as jobs (check, then apply) and the bundle is an export job.
        from .jobs import register

        register()
