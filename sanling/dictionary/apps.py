from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DictionaryConfig(AppConfig):
    name = "sanling.dictionary"
    verbose_name = _("Data dictionary")
