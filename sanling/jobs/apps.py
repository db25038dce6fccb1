from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "sanling.jobs"
    verbose_name = _("Background jobs")

    def ready(self) -> None:
        # The export kind is registered, and the huey tasks in every process that enqueues or runs them
        # (the web, the consumer of `sanling run_huey`, the consumer `sanling serve` runs in-process).
        from . import exports, tasks  # noqa: F401
