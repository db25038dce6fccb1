from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "sanling.reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # Generation runs as a background job of the kind "report".
        from .jobs import register

        register()
