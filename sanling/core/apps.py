from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default = True
    name = "sanling.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the stored-data checks


class SanlingAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "sanling.core.admin_site.StaffOnlyAdminSite"
