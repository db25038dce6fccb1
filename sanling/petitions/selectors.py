"""Reads of petitions, the 积案 ledger and 信访代理 for the pages and ledgers: what a user may see (always
through their ``Scope``, on the case's subject), which moves a petition allows now, and what is overdue."""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanling.dictionary.selectors import entry_choices
from sanling.events.models import PetitionLevel
from sanling.work.models import WorkItem
from sanling.work.selectors import rule_set_for

from .models import LEVEL_RANK, AgencyCase, AgencyStep, Backlog, Petition, PetitionStep

# One scoping path: the user's ``Scope`` decides on the subject, as for events and disputes.


def scoped_petitions(scope) -> QuerySet[Petition]:
    return Petition.objects.filter(scope.subject_q("subject__"))


def scoped_work_items(scope) -> QuerySet[WorkItem]:
    return WorkItem.objects.filter(scope.subject_q("subject__"))


def scoped_backlog(scope) -> QuerySet[Backlog]:
    return Backlog.objects.filter(scope.subject_q("item__subject__"))


def scoped_agency(scope) -> QuerySet[AgencyCase]:
    return AgencyCase.objects.filter(scope.subject_q("subject__"))


# The rows of the lists and their ledgers, with what each row reads joined (a page, an export and its
# background job select the same rows the same way).


def ledger_petitions(scope) -> QuerySet[Petition]:
    return scoped_petitions(scope).select_related(
        "case", "case__organisation", "event", "subject", "subject__region", "subject__department"
    )


def ledger_backlog(scope) -> QuerySet[Backlog]:
    return scoped_backlog(scope).select_related(
        "item", "item__subject", "item__subject__region", "responsible_organisation"
    )


def ledger_agency(scope) -> QuerySet[AgencyCase]:
    return scoped_agency(scope).select_related(
        "case", "petition", "subject", "subject__region", "subject__department"
    )


def overdue_q(prefix: str = "", *, today: datetime.date | None = None) -> Q:
    """Open work items whose due date has passed (``prefix`` is the path to the item, e.g. ``case__``)."""
    today = today or timezone.localdate()
    return Q(**{f"{prefix}closed_on__isnull": True, f"{prefix}due_on__lt": today})


def is_overdue(item: WorkItem, today: datetime.date | None = None) -> bool:
    return (
        item.closed_on is None and item.due_on is not None and item.due_on < (today or timezone.localdate())
    )


# The moves a petition allows, in the order the page offers them. Each is the name of a service
# (``petition_<action>``); the page offers a form only for a move its step allows.
ACTIONS = ("accept", "extend", "reply", "review", "conclude", "escalate")


def higher_levels(level: str) -> list[tuple[str, str]]:
    return [(code, label) for code, label in PetitionLevel.choices if LEVEL_RANK[code] > LEVEL_RANK[level]]


def allowed_actions(petition: Petition) -> list[str]:
    """What can be done with ``petition`` now (the transition table of the services, plus the rules the
    services check: one extension only and only where the county allows one; escalation while a higher
    level exists and the case is open)."""
    step = petition.step
    allowed = []
    if step == PetitionStep.RECEIVED:
        allowed.append("accept")
    if step == PetitionStep.HANDLING:
        rules = petition.rule_set or rule_set_for(petition.subject)
        if rules.extension_amount and not petition.extended_on:
            allowed.append("extend")
        allowed.append("reply")
    if step in (PetitionStep.REPLIED, PetitionStep.REVIEW):
        allowed.append("review")
    if step in (PetitionStep.REPLIED, PetitionStep.REVIEW, PetitionStep.RE_REVIEW):
        allowed.append("conclude")
    if step != PetitionStep.CONCLUDED and higher_levels(petition.level):
        allowed.append("escalate")
    return allowed


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    label: str
    done_on: str  # ISO date, or "" while not done


def checklist_of(backlog: Backlog, labels: dict[str, str] | None = None) -> list[ChecklistItem]:
    """The entry's checklist in the dictionary's order, each item with its label (an item the county has
    since disabled keeps its code as label)."""
    labels = labels if labels is not None else checklist_labels()
    order = {code: index for index, code in enumerate(labels)}
    codes = sorted(backlog.checklist, key=lambda code: (order.get(code, len(order)), code))
    return [ChecklistItem(code, labels.get(code, code), backlog.checklist[code] or "") for code in codes]


def checklist_labels() -> dict[str, str]:
    return dict(entry_choices("backlog_checklist"))


# The rungs of 信访代理 under the names 中站区 gives them ("按照信访人提出申请、确定代理人、登记备案、代理事项办理、
# 结果反馈、事项终结等程序"): each names the step that is done when the case reaches it.
AGENCY_LADDER = (
    (AgencyStep.APPLIED, _("Application")),
    (AgencyStep.AGENT_ASSIGNED, _("Assign the agent")),
    (AgencyStep.FILED, _("Register and file")),
    (AgencyStep.HANDLING, _("Handle the matter")),
    (AgencyStep.FEEDBACK, _("Feed back the result")),
    (AgencyStep.CONCLUDED, _("Conclude the matter")),
)
