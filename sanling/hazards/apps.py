from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HazardsConfig(AppConfig):
    name = "sanling.hazards"
    verbose_name = _("Hazards")

    def ready(self) -> None:
        # The 隐患台账 also runs as a background job (sanling.jobs.exports).
        from .ledger import register

        register()

        from sanling.work.kinds import register_kind

        from .models import HazardStatus
        from .selectors import hazard_watchers

        register_kind("hazard", page="hazards:case", steps=HazardStatus, watchers=hazard_watchers)
