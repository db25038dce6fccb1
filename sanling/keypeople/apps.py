from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class KeypeopleConfig(AppConfig):
    name = "sanling.keypeople"
    verbose_name = pgettext_lazy("key people", "Key populations")

    def ready(self) -> None:
        from sanling.audit.display import VERBS
        from sanling.work.kinds import register_kind
        from sanling.work.selectors import ACTION_LABELS

        from .jobs import register
        from .models import KeyVisitStep

        register_kind("key_visit", page="keypeople:detail", steps=KeyVisitStep)
        # The timeline actions and audit verbs this app writes, labelled where the screens look them up.
        ACTION_LABELS.setdefault("key_visit", pgettext_lazy("key people", "Key person visited"))
        ACTION_LABELS.setdefault("key_release", pgettext_lazy("key people", "No longer managed"))
        VERBS.setdefault("key_person.rescheduled", pgettext_lazy("key people", "Next visit rescheduled"))
        VERBS.setdefault("key_person.released", pgettext_lazy("key people", "No longer managed"))
        VERBS.setdefault("export.key_people", pgettext_lazy("key people", "Key people exported"))
        # 重点人群台账 also runs as a background job (sanling.jobs.exports).
        register()
