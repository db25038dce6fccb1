"""What each kind of work item is: where its page lives and what its steps are called.

The casework domains (disputes, petitions) and the fieldwork ones (hazards, key-population visits) each
register their kind from their ``AppConfig.ready``, so 我的待办, the timeline and the reminders read every
kind the same way without importing the domains."""

from dataclasses import dataclass, field

from django.db import models


@dataclass(frozen=True)
class KindInfo:
    page: str  # URL name of the item's page, reversed with ``ref``
    steps: type[models.TextChoices] | None = None  # the labels of the kind's step codes
    # Extra people told when an item of the kind is overdue (beyond its handler, members and head): a function
    # of an item returning users, e.g. a hazard's subject's department and its town.
    watchers: object = field(default=None)


KINDS: dict[str, KindInfo] = {}


def register_kind(
    kind: str, *, page: str, steps: type[models.TextChoices] | None = None, watchers=None
) -> None:
    KINDS[kind] = KindInfo(page=page, steps=steps, watchers=watchers)
