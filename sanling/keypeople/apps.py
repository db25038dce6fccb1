from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KeypeopleConfig(AppConfig):
    name = "sanling.keypeople"
    verbose_name = _("Key populations")

    def ready(self) -> None:
        from sanling.audit.display import VERBS
        from sanling.work.kinds import register_kind
        from sanling.work.selectors import ACTION_LABELS

        from .jobs import register
        from .models import KeyVisitStep

        register_kind("key_visit", page="keypeople:detail", steps=KeyVisitStep)
        # The timeline actions and audit verbs this app writes, labelled where the screens look them up.
        ACTION_LABELS.setdefault("key_visit", _("Key person visited"))
        ACTION_LABELS.setdefault("key_release", _("No longer managed"))
        VERBS.setdefault("key_person.rescheduled", _("Next visit rescheduled"))
        VERBS.setdefault("key_person.released", _("No longer managed"))
        VERBS.setdefault("export.key_people", _("Key people exported"))
        # 重点人群台账 also runs as a background job (sanling.jobs.exports).
        register()
