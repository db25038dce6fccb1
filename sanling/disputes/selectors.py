"""Reads of disputes for the case page and the case sheet: which moves the transition table allows now,
and what a handler reads about the case (its petition and event, the subject's status this month)."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from sanling.assessment.periods import Period
from sanling.assessment.selectors import SubjectStatus, subject_status
from sanling.work.selectors import timeline_of

from .models import LEVEL_ORDER, Dispute, DisputeStatus
from .services import ALLOWED

S = DisputeStatus

# The moves of the case page in the order a handler meets them, each with the status it leads to (the
# follow-up visit leads nowhere: it records a visit on a resolved case).
MOVES: tuple[tuple[str, str | None], ...] = (
    ("mediate", S.MEDIATING),
    ("escalate", S.ESCALATED),
    ("resolve", S.RESOLVED),
    ("fail", S.FAILED),
    ("to_petition", S.PETITIONED),
    ("to_litigation", S.LITIGATED),
    ("follow_up", None),
)


def dispute_moves(dispute: Dispute) -> list[str]:
    """The moves ``ALLOWED`` lets this dispute make now, as the services would judge them: no 调解中 twice,
    no 上交 above the county, a 回访 only after 化解."""
    if not dispute.case_id:  # every dispute has its case since issue 17; without one there is nothing to move
        return []
    allowed = ALLOWED[dispute.status]
    moves = []
    for move, status in MOVES:
        if status is None:
            if dispute.status == S.RESOLVED:
                moves.append(move)
        elif status in allowed and status != dispute.status:
            moves.append(move)
        elif move == "escalate" and status in allowed:  # 上交 again from 已上交
            moves.append(move)
    if dispute.level == LEVEL_ORDER[-1] and "escalate" in moves:
        moves.remove("escalate")
    return moves


def levels_above(level: str) -> list[str]:
    """The levels a dispute at ``level`` may be handed up to (the next one first)."""
    return list(LEVEL_ORDER[LEVEL_ORDER.index(level) + 1 :])


def levels_up_to(level: str) -> list[str]:
    """The levels a dispute that has reached ``level`` may be resolved at."""
    return list(LEVEL_ORDER[: LEVEL_ORDER.index(level) + 1])


@dataclass
class CaseView:
    """What the case page and the case sheet show of one dispute."""

    dispute: Dispute
    entries: list
    attachments: list
    petition: object | None  # the petition it became (转信访), with its event if it reached one
    status_now: SubjectStatus
    today: datetime.date

    @property
    def case(self):
        return self.dispute.case

    @property
    def overdue(self) -> bool:
        case = self.case
        return bool(case and case.is_open and case.due_on and case.due_on < self.today)


def dispute_case_view(dispute: Dispute, *, today: datetime.date | None = None) -> CaseView:
    """The dispute with its timeline and evidence, its petition and event, and its subject's status this month."""
    from sanling.petitions.models import Petition
    from sanling.work.attachments import attachments_of

    today = today or timezone.localdate()
    petition = (
        Petition.objects.filter(from_dispute=dispute)
        .select_related("event", "case__organisation")
        .order_by("pk")
        .first()
    )
    return CaseView(
        dispute=dispute,
        entries=timeline_of(dispute.case) if dispute.case_id else [],
        attachments=attachments_of(dispute.case) if dispute.case_id else [],
        petition=petition,
        status_now=subject_status(subject=dispute.subject, period=Period.month(today.year, today.month)),
        today=today,
    )
