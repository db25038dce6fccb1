from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisputesConfig(AppConfig):
    name = "sanling.disputes"
    verbose_name = _("Disputes")

    def ready(self) -> None:
        # The 矛盾纠纷台账 also runs as a background job (sanling.jobs.exports).
        from .jobs import register

        register()

        from sanling.work.kinds import register_kind

        from .models import DisputeStatus

        register_kind("dispute", page="disputes:case", steps=DisputeStatus)
