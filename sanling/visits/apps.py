from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "sanling.visits"
    verbose_name = _("Household visits")

    def ready(self) -> None:
        # The 走访台账 also runs as a background job (sanling.jobs.exports).
        from .sheets import register

        register()
