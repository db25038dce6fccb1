"""Disputes whose whole history is known at once (a county's past ledger with its steps, the demo's past
year), written in bulk rather than step by step.

Worked one move at a time, a dispute costs a transaction per step (its rollups, version, audit entry, work
item and timeline each time): about 0.4 s a dispute on SQLite, six minutes for the demo's 867. Here a
``DisputeHistory`` replays the moves in memory by the same rules as the services — ``check_transition``
on the table ``ALLOWED``, ``check_step_date`` (dated, not in the future, never before the step before),
escalation one level at a time unless a reason is given, the place's mediator at each level and the county's
mediation period — and ``dispute_histories_load`` writes the disputes, their cases and timelines with one
insert each, one audit entry per dispute and per case, and then rebuilds the rollups of the years it
touched (as an import does), so ``recompute --check`` stays clean.

What happens next to such a dispute (a 回访 today, 转信访) goes through the services as usual.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sanling.assessment.services import assessment_recompute
from sanling.audit.models import Action
from sanling.audit.services import Change, audit_changes, snapshot
from sanling.dictionary.models import EntryType
from sanling.dictionary.services import check_choice
from sanling.organisations.selectors import mediator_for
from sanling.work.models import TimelineEntry, WorkItem, WorkKind
from sanling.work.selectors import rule_set_for
from sanling.work.services import acting_organisation, check_step_date
from sanling.work.transitions import TransitionRefused

from .models import CLOSED_STATUSES, LEVEL_ORDER, Dispute, DisputeStatus, ResolvedLevel
from .services import check_transition

S = DisputeStatus


@dataclass
class HistoryStep:
    """One timeline entry of a history: what was done, on which day, by whom and for which organisation."""

    action: str
    on: datetime.date
    from_step: str
    to_step: str
    organisation: object = None
    actor: object = None
    note: str = ""
    details: dict = field(default_factory=dict)


class DisputeHistory:
    """A dispute and its case, moved in memory by the rules of ``disputes.services``; nothing is written
    until ``dispute_histories_load``. Each move names the user who took it (``by``), as the timeline shows.

    >>> history = DisputeHistory(ref="D1", subject=village, reported_on=day, category="邻里纠纷", summary="…")
    >>> history.mediate(on=day); history.escalate(on=later, to_level="village"); history.resolve(on=…, method="people")
    """

    def __init__(
        self,
        *,
        ref: str,
        subject,
        reported_on: datetime.date,
        summary: str,
        category: str = "",
        level: str = ResolvedLevel.GROUP,
        organisation=None,
        handler=None,
        by=None,
        note: str = "",
        rule_set=None,
    ):
        self.dispute = Dispute(
            ref=ref, subject=subject, reported_on=reported_on, category=category, summary=summary, level=level
        )
        self.rules = rule_set or rule_set_for(subject)
        self.organisation = organisation or mediator_for(subject.region, level)
        self.handler = handler
        self.due_on = self.rules.mediation_due(reported_on)
        self.closed_on = None
        self.steps = [
            HistoryStep(
                "register",
                reported_on,
                "",
                S.OPEN,
                self.organisation,
                by,
                note,
                {"level": level},
            )
        ]

    @property
    def status(self) -> str:
        return self.dispute.status

    @property
    def level(self) -> str:
        return self.dispute.level

    def _move(self, new_status: str, *, on, action: str, by=None, note: str = "", details=None, **changes):
        check_transition(self.status, new_status)
        if self.status == new_status and new_status != S.ESCALATED:
            raise TransitionRefused(
                _("The dispute is already “%(status)s”.") % {"status": DisputeStatus(self.status).label}
            )
        check_step_date(on, after=self.steps[-1].on)
        for name, value in changes.items():
            setattr(self.dispute, name, value)
        from_step, self.dispute.status = self.status, new_status
        if new_status in CLOSED_STATUSES:
            self.closed_on, self.due_on = on, None
        self.steps.append(
            HistoryStep(action, on, from_step, new_status, self.organisation, by, note, details or {})
        )
        return self

    def mediate(self, *, on, by=None, handler=None, diagnosis: str = "", note: str = ""):
        """调解中 at the current level (``dispute_mediate``)."""
        if handler is not None:
            self.handler = handler
        details = {"level": self.level, **({"diagnosis": diagnosis} if diagnosis else {})}
        changes = {"diagnosis": diagnosis} if diagnosis else {}
        return self._move(S.MEDIATING, on=on, action="mediate", by=by, note=note, details=details, **changes)

    def escalate(self, *, on, to_level: str, by=None, organisation=None, handler=None, note: str = ""):
        """上交 one level up (``dispute_escalate``): to that level's mediator, due by the mediation period."""
        if to_level not in LEVEL_ORDER:
            raise ValidationError({"to_level": _("Choose the level to escalate to: 组, 村, 镇 or 县.")})
        step = LEVEL_ORDER.index(to_level) - LEVEL_ORDER.index(self.level)
        if step <= 0:
            raise TransitionRefused(
                _("A dispute at “%(level)s” level can only be escalated to a higher level.")
                % {"level": ResolvedLevel(self.level).label}
            )
        if step > 1 and not note.strip():
            raise ValidationError(
                {"note": _("Escalating past a level (越级上交) needs a reason: say why in the note.")}
            )
        from_level = self.level
        # The checks of the move come first: a refused escalation changes nothing.
        check_transition(self.status, S.ESCALATED)
        check_step_date(on, after=self.steps[-1].on)
        receiving = organisation or mediator_for(self.dispute.subject.region, to_level)
        # Filed under the organisation the actor acts for, as ``work_item_step`` does.
        self.organisation = acting_organisation(by, self.organisation, receiving)
        self._move(
            S.ESCALATED,
            on=on,
            action="escalate",
            by=by,
            note=note,
            details={"from_level": from_level, "to_level": to_level},
            level=to_level,
            diagnosis="",  # the 四诊 tag was the lower level's
        )
        self.organisation = receiving
        self.handler = handler
        self.due_on = self.rules.mediation_due(on)
        return self

    def resolve(self, *, on, method: str, level: str = "", by=None, agreement: str = "", note: str = ""):
        """化解 at ``level`` (by default where it is) by a method of mediation (``dispute_resolve``)."""
        level = level or self.level
        if not method:
            raise ValidationError({"method": _("Say how the dispute was resolved (the mediation method).")})
        changes = {"resolved_level": level, "resolved_on": on, "method": method}
        if agreement:
            changes["agreement"] = agreement
        details = {"level": level, "method": method}
        return self._move(S.RESOLVED, on=on, action="resolve", by=by, note=note, details=details, **changes)

    def fail(self, *, on, by=None, note: str = ""):
        """调解不成 (``dispute_fail``)."""
        return self._move(S.FAILED, on=on, action="fail", by=by, note=note)

    def to_litigation(self, *, on, by=None, note: str = ""):
        """转诉讼/仲裁 (``dispute_to_litigation``)."""
        return self._move(S.LITIGATED, on=on, action="to_litigation", by=by, note=note)

    def follow_up(self, *, on, satisfaction: str, by=None, note: str = ""):
        """回访 after the resolution (``dispute_follow_up``): a timeline entry that does not move the case."""
        if self.status != S.RESOLVED:
            raise TransitionRefused(_("Only a resolved dispute gets a follow-up visit."))
        check_step_date(on, after=self.steps[-1].on)
        self.dispute.follow_up_on, self.dispute.satisfaction = on, satisfaction
        self.steps.append(
            HistoryStep(
                "follow_up",
                on,
                self.status,
                self.status,
                self.organisation,
                by,
                note,
                {"satisfaction": satisfaction},
            )
        )
        return self


@transaction.atomic
def dispute_histories_load(histories: list[DisputeHistory], *, note: str = "") -> int:
    """Write ``histories`` (disputes that are not yet stored) with their cases and timelines, all or none:
    each record is checked as ``dispute_create`` checks it (the county's category list, ``full_clean``),
    then everything is inserted in bulk, audited (one entry per dispute and per case, under the current
    actor, with ``note``) and the rollups of the years touched are rebuilt. Returns how many were written."""
    if not histories:
        return 0
    for category in sorted({history.dispute.category for history in histories}):
        check_choice(EntryType.DISPUTE_CATEGORY, category, field="category")
    for history in histories:
        history.dispute.full_clean(exclude=["case"])
    items = WorkItem.objects.bulk_create(
        [
            WorkItem(
                ref=history.dispute.ref,
                kind=WorkKind.DISPUTE,
                subject=history.dispute.subject,
                title=history.dispute.summary[:200],
                step=history.status,
                opened_on=history.dispute.reported_on,
                due_on=history.due_on,
                organisation=history.organisation,
                handler=history.handler,
                closed_on=history.closed_on,
            )
            for history in histories
        ],
        batch_size=500,
    )
    for history, item in zip(histories, items, strict=True):
        history.dispute.case = item
    Dispute.objects.bulk_create([history.dispute for history in histories], batch_size=500)
    TimelineEntry.objects.bulk_create(
        [
            TimelineEntry(
                item=item,
                action=step.action,
                on=step.on,
                actor=step.actor,
                organisation=step.organisation,
                from_step=step.from_step,
                to_step=step.to_step,
                note=step.note,
                details=step.details,
            )
            for history, item in zip(histories, items, strict=True)
            for step in history.steps
        ],
        batch_size=1000,
    )
    audit_changes(
        Change(
            Action.CREATE,
            instance._meta.model_name,
            history.dispute.ref,
            history.dispute.subject.region.path,
            after=snapshot(instance),
            note=note,
            verb="dispute.history_loaded",
        )
        for history, item in zip(histories, items, strict=True)
        for instance in (item, history.dispute)
    )
    assessment_recompute(years={history.dispute.reported_on.year for history in histories})
    return len(histories)
