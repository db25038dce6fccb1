from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubjectsConfig(AppConfig):
    name = "sanling.subjects"
    verbose_name = _("Subjects")

    def ready(self) -> None:
        # The subject list's export also runs as a background job (sanling.jobs.exports).
        from .jobs import register

        register()
