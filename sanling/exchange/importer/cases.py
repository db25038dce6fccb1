"""The cases (work items) of imported disputes and petitions, written in bulk beside their records.

Every imported dispute or petition has its case under its own ref (一案一码), as ``dispute_create`` and
``petition_create`` open one: created with a first timeline entry, and kept in step with its record when a
changed row comes back (its step, due date and closing date; a changed step adds a timeline entry). A
province's ledger holds hundreds of thousands of rows, so the items are inserted and updated in bulk, in
the import's transaction, rather than one service call each; what each field holds is what the services
would have written.
"""

import datetime
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from functools import cached_property
from operator import itemgetter

from django.db import models
from django.utils import timezone

from sanling.audit.context import current_actor
from sanling.audit.models import Action
from sanling.audit.services import Change
from sanling.core.bulk import fast_insert
from sanling.core.queries import chunks, filter_in
from sanling.organisations.models import Organisation
from sanling.organisations.selectors import organisation_among
from sanling.regions.models import Region, codes_in_path
from sanling.subjects.models import Subject
from sanling.work.models import DeadlineRuleSet, TimelineEntry, WorkItem
from sanling.work.selectors import rule_set_for

from .step import BATCH

# What the import compares and writes of a case.
CASE_FIELDS = ("kind", "subject_id", "title", "step", "organisation_id", "opened_on", "due_on", "closed_on")


@dataclass(frozen=True)
class CaseState:
    kind: str
    subject_id: int
    title: str
    step: str
    organisation_id: int | None
    opened_on: datetime.date
    due_on: datetime.date | None
    closed_on: datetime.date | None


class Places:
    """Per-place lookups the steps repeat for every row, asked once per place: who works a level there, and
    which deadline rules apply."""

    def __init__(self):
        self._organisations: dict[tuple, int | None] = {}
        self._rule_sets: dict[tuple, DeadlineRuleSet] = {}
        self._subjects: dict[str, tuple[int, str]] = {}

    @cached_property
    def _active_organisations(self) -> dict[str, list[Organisation]]:
        """Region code -> the active organisations standing there, in the model's order: a county has a
        few hundred, read once instead of once per place."""
        by_region: dict[str, list[Organisation]] = defaultdict(list)
        for organisation in Organisation.objects.filter(active=True).select_related("region"):
            by_region[organisation.region.code].append(organisation)
        return by_region

    @cached_property
    def _rule_set_codes(self) -> set[str]:
        """Codes of the regions (counties) that chose a rule set."""
        return set(DeadlineRuleSet.counties.through.objects.values_list("region__code", flat=True))

    def subjects(self, codes: Iterable[str]) -> dict[str, tuple[int, str]]:
        """Subject code -> (id, region path), for the codes given (looked up once)."""
        missing = set(codes) - set(self._subjects)
        if missing:
            self._subjects.update(
                (code, (pk, path))
                for code, pk, path in filter_in(
                    Subject.objects.values_list("code", "id", "region__path"),
                    "code",
                    missing,
                    key_of=itemgetter(0),
                )
            )
        return self._subjects

    def organisation(self, path: str, region_level: str, kinds) -> int | None:
        """The id of the organisation ``organisation_at`` finds (the place's mediator or petition taker)."""
        key = (path, region_level, tuple(kinds))
        if key not in self._organisations:
            candidates = [
                organisation
                for code in codes_in_path(path)
                for organisation in self._active_organisations.get(code, ())
                if organisation.kind in kinds
            ]
            candidates.sort(
                key=lambda organisation: (organisation.region.path, organisation.kind, organisation.code)
            )
            found = organisation_among(candidates, region_level, kinds)
            self._organisations[key] = found.pk if found else None
        return self._organisations[key]

    def rule_set(self, path: str) -> DeadlineRuleSet:
        """``rule_set_for`` a subject at ``path``, asked once per set of choosing regions on the path."""
        key = tuple(code for code in codes_in_path(path) if code in self._rule_set_codes)
        if key not in self._rule_sets:
            self._rule_sets[key] = rule_set_for(Subject(region=Region(path=path)))
        return self._rule_sets[key]


def organisation_ids(codes: Iterable[str]) -> dict[str, int]:
    return dict(filter_in(Organisation.objects.values_list("code", "id"), "code", set(codes) - {""}))


def stored_cases(refs: Iterable[str]) -> dict[str, dict]:
    """Ref -> the stored case of that ref (any kind)."""
    rows = WorkItem.objects.values("id", "ref", *CASE_FIELDS)
    return {row["ref"]: row for row in filter_in(rows, "ref", set(refs), key_of=itemgetter("ref"))}


def _actor_id() -> int | None:
    user = current_actor().user
    return user.pk if getattr(user, "is_authenticated", False) else None


def _audited(state: CaseState, codes: dict[int, str]) -> dict:
    # By hand rather than ``asdict``, which deep-copies: one call per case of a province's file.
    values = {
        name: getattr(state, name) for name in CASE_FIELDS if name not in ("subject_id", "organisation_id")
    }
    values["organisation"] = codes.get(state.organisation_id)
    return values


class CaseWriter:
    """Opens and updates the cases of one step's records, and keeps their audit entries."""

    def __init__(self, note: str):
        self.note = note
        self.changes: list[Change] = []
        self._codes: dict[int, str] | None = None

    @property
    def organisation_codes(self) -> dict[int, str]:
        if self._codes is None:
            self._codes = dict(Organisation.objects.values_list("id", "code"))
        return self._codes

    def open(
        self,
        states: dict[str, CaseState],
        *,
        paths: dict[str, str],
        details: dict[str, dict],
        action: str = "register",
    ) -> dict[str, int]:
        """Create the cases ``states`` (ref -> state) with their first timeline entry; ref -> new id.
        ``paths`` gives each ref's region path for the audit trail."""
        if not states:
            return {}
        now = timezone.now()
        fast_insert(
            WorkItem,
            ["ref", *CASE_FIELDS, "handler_id", "backlog", "version", "created_at", "updated_at"],
            ((ref, *astuple(state), None, False, 1, now, now) for ref, state in states.items()),
        )
        ids = dict(filter_in(WorkItem.objects.values_list("ref", "id"), "ref", set(states)))
        actor = _actor_id()
        fast_insert(
            TimelineEntry,
            [
                "item_id",
                "action",
                "on",
                "at",
                "actor_id",
                "organisation_id",
                "from_step",
                "to_step",
                "note",
                "details",
            ],
            (
                (
                    ids[ref],
                    action,
                    state.opened_on,
                    now,
                    actor,
                    state.organisation_id,
                    "",
                    state.step,
                    self.note,
                    json.dumps(details.get(ref, {}), ensure_ascii=False),
                )
                for ref, state in states.items()
            ),
        )
        codes = self.organisation_codes
        self.changes.extend(
            Change(
                Action.CREATE,
                "workitem",
                ref,
                paths[ref],
                {},
                _audited(state, codes),
                self.note,
                "import.applied",
            )
            for ref, state in states.items()
        )
        return ids

    def update(
        self,
        updates: dict[str, tuple[dict, CaseState]],
        *,
        paths: dict[str, str],
        on: dict[str, datetime.date],
        action: str = "edit",
        details: dict[str, dict] | None = None,
    ) -> None:
        """Bring stored cases (ref -> (stored row, new state)) to their new state; each changed step is a
        timeline entry on ``on[ref]`` (from -> to). Unchanged ones are left alone."""
        changed = {ref: pair for ref, pair in updates.items() if _state_of(pair[0]) != pair[1]}
        if not changed:
            return
        items = [WorkItem(pk=row["id"], ref=ref, **asdict(state)) for ref, (row, state) in changed.items()]
        WorkItem.objects.bulk_update(
            items, [name.removesuffix("_id") for name in CASE_FIELDS], batch_size=500
        )
        for chunk in chunks(item.pk for item in items):
            WorkItem.objects.filter(pk__in=chunk).update(version=models.F("version") + 1)
        actor, details = _actor_id(), details or {}
        TimelineEntry.objects.bulk_create(
            (
                TimelineEntry(
                    item_id=row["id"],
                    action=action,
                    on=on[ref],
                    actor_id=actor,
                    organisation_id=state.organisation_id,
                    from_step=row["step"],
                    to_step=state.step,
                    note=self.note,
                    details=details.get(ref, {}),
                )
                for ref, (row, state) in changed.items()
                if row["step"] != state.step or row["kind"] != state.kind
            ),
            batch_size=BATCH,
        )
        codes = self.organisation_codes
        for ref, (row, state) in changed.items():
            before, after = _audited(_state_of(row), codes), _audited(state, codes)
            names = [name for name in after if before[name] != after[name]]
            self.changes.append(
                Change(
                    Action.UPDATE,
                    "workitem",
                    ref,
                    paths[ref],
                    {name: before[name] for name in names},
                    {name: after[name] for name in names},
                    self.note,
                    "import.applied",
                )
            )


def astuple(state: CaseState) -> tuple:
    return tuple(getattr(state, name) for name in CASE_FIELDS)


def _state_of(row: dict) -> CaseState:
    return CaseState(**{name: row[name] for name in CASE_FIELDS})
