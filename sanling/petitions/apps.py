from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "sanling.petitions"
    verbose_name = _("Petitions")

    def ready(self) -> None:
        # The three ledgers also run as background jobs (sanling.jobs.exports).
        from .jobs import register

        register()

        from sanling.work.kinds import register_kind

        from .models import AgencyStep, PetitionStep

        register_kind("petition", page="petitions:detail", steps=PetitionStep)
        register_kind("agency", page="petitions:agency_detail", steps=AgencyStep)
