from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KeypeopleConfig(AppConfig):
    name = "sanling.keypeople"
    verbose_name = _("Key populations")
