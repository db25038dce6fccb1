from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "sanling.petitions"
    verbose_name = _("Petitions")

    def ready(self) -> None:
        # The three ledgers also run as background jobs (sanling.jobs.exports).
        from .jobs import register

        register()
