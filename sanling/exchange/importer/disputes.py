"""The disputes file: the records of ``RecordStep`` and, for each, its case (issue 17).

A bundle without the case columns imports as before; each dispute also gets (or keeps) its case under its
ref, closed if its status is a closed one. A case that has since become a petition (转信访) belongs to the
petitions file: the disputes file leaves it alone.
"""

from collections.abc import Iterable
from itertools import chain
from operator import itemgetter

from django.utils.translation import gettext as _

from sanling.audit.services import Change
from sanling.core.queries import filter_in
from sanling.dictionary.models import EntryType
from sanling.disputes.models import (
    CLOSED_STATUSES,
    DISPUTE_CASE_FIELDS,
    DISPUTE_FIELDS,
    LEVEL_ORDER,
    LEVEL_REGION,
    Dispute,
    dispute_rule_errors,
)
from sanling.organisations.selectors import MEDIATORS
from sanling.regions.models import BELOW_VILLAGE_LEVELS, Level, Region
from sanling.subjects.models import Subject
from sanling.work.models import WorkKind

from ..schema import DISPUTES
from .cases import CaseState, CaseWriter, organisation_ids, stored_cases
from .records import RecordStep


def ref_taken(ref: str) -> str:
    return _("Reference “%(ref)s” already belongs to another case.") % {"ref": ref}


class CaseColumns:
    """What the disputes and petitions files share about their cases: the organisation a row names, and
    the audit entries of the cases they write."""

    cases: CaseWriter | None = None  # made by ``apply``

    def _check_organisations(self, codes: list[str], problems: dict[int, dict[str, str]]) -> None:
        """A named organisation exists (in the bundle or the system) and, for a user's import, stands in
        their area or above it (a town's case may be with the county's 信访局)."""
        named = set(codes) - {""}
        if not named:
            return
        known = self.importer.organisation_places(named)
        scope = self.importer.scope
        for index, code in enumerate(codes):
            if not code:
                continue
            if code not in known:
                problems[index].setdefault(
                    "organisation_code", _("Unknown organisation code “%(code)s”.") % {"code": code}
                )
            elif scope.limited and not scope.may_name_organisation(*known[code]):
                problems[index].setdefault(
                    "organisation_code", scope.outside(_("Organisation “%(code)s”") % {"code": code})
                )

    def audit_entries(self) -> tuple[int, Iterable[Change]]:
        count, entries = super().audit_entries()
        cases = self.cases.changes if self.cases is not None else []
        return count + len(cases), chain(entries, cases)


class DisputesStep(CaseColumns, RecordStep):
    spec = DISPUTES
    model = Dispute
    fields = (*DISPUTE_FIELDS, *DISPUTE_CASE_FIELDS)
    date_field = "reported_on"
    kinds = {
        "ref": "text",
        "subject_code": "text",
        "reported_on": "past_date",
        "category": "text",
        "summary": "text",
        "status": "choice",
        "resolved_level": "choice",
        "resolved_on": "past_date",
        "method": "choice",
        "level": "choice",
        "diagnosis": "choice",
        "parties": "text",
        "agreement": "text",
        "follow_up_on": "past_date",
        "satisfaction": "choice",
        "organisation_code": "text",
        "grid_code": "text",
    }
    defaults = {"status": "open"}
    limited = ("ref", "category", "summary", "parties", "agreement")
    listed = {"category": EntryType.DISPUTE_CATEGORY}
    rule_fields = ("status", "resolved_level", "resolved_on", "reported_on", "level", "follow_up_on")
    rules = staticmethod(dispute_rule_errors)
    lookups = {
        "subject_code": "subject__code",
        "organisation_code": "case__organisation__code",
        "grid_code": "grid__code",
    }
    extra_lookups = ("case_id", "case__organisation__code", "case__kind", "grid__code")
    insert_extra = ("case_id", "grid_id")

    def _complete(self, refs: list[str], columns: dict[str, list]) -> None:
        """The level a dispute has reached: as the file says, else where it was resolved (a resolved
        ledger row) or 组. A file without the column keeps the stored level, raised to where it was
        resolved if that is higher (as ``dispute_update`` does)."""
        given = "level" in self.table.columns

        def level_of(level: str, status: str, resolved: str) -> str:
            resolved = resolved if status == "resolved" and resolved in LEVEL_ORDER else ""
            if not level:
                return resolved or "group"
            if not given and resolved and LEVEL_ORDER.index(resolved) > LEVEL_ORDER.index(level):
                return resolved
            return level

        columns["level"] = list(map(level_of, columns["level"], columns["status"], columns["resolved_level"]))

    def _check_more(
        self, refs: list[str], columns: dict[str, list], problems: dict[int, dict[str, str]]
    ) -> None:
        self._check_organisations(columns["organisation_code"], problems)
        self._check_grids(columns["grid_code"], columns["subject_code"], problems)
        # A new dispute opens a case under its ref: the ref must not be another case's.
        cases = stored_cases(refs)
        for index, ref in enumerate(refs):
            case = cases.get(ref)
            if case is not None and self.existing.get(ref, {}).get("case_id") != case["id"]:
                problems[index].setdefault("ref", ref_taken(ref))

    def _check_grids(
        self, grids: list[str], subjects: list[str], problems: dict[int, dict[str, str]]
    ) -> None:
        """A named grid is a grid or 楼宇 (in the bundle or the system, inside the caller's area) of the
        subject's village, as the model requires (``grid_outside_error``). Grid codes start with their
        village's code, so the village of a grid is its code's first 12 digits."""
        named = set(grids) - {""}
        if not named:
            return
        in_file = self.importer.step_for("regions").records
        subject_records = self.importer.step_for("subjects").records
        villages = {code[:12] for code in named}
        places = dict(
            filter_in(
                Subject.objects.values_list("code", "region__code"),
                "code",
                {subject for subject, grid in zip(subjects, grids, strict=True) if grid},
                key_of=itemgetter(0),
            )
        )
        places.update({code: record["region_code"] for code, record in subject_records.items()})
        stored = {
            code: (level, parent or "", path)
            for code, level, parent, path in filter_in(
                Region.objects.values_list("code", "level", "parent__code", "path"),
                "code",
                named | villages | set(places.values()),
                key_of=itemgetter(0),
            )
        }
        stored.update(
            {code: (record["level"], record["parent_code"], "") for code, record in in_file.items()}
        )
        scope = self.importer.scope
        for index, (grid, subject) in enumerate(zip(grids, subjects, strict=True)):
            if not grid:
                continue
            level, _parent, path = stored.get(grid, ("", "", ""))
            if level not in BELOW_VILLAGE_LEVELS or (scope.limited and path and not scope.covers_path(path)):
                problems[index].setdefault("grid_code", _("Unknown grid code “%(code)s”.") % {"code": grid})
                continue
            place = places.get(subject)
            if place is None:
                continue  # the subject's own problem is reported on its column
            place_level = stored.get(place, ("", "", ""))[0]
            if place_level in (Level.VILLAGE, *BELOW_VILLAGE_LEVELS):
                inside = grid[:12] == place[:12]
            else:  # a unit standing at a town: a grid of one of the town's villages
                inside = stored.get(grid[:12], ("", "", ""))[1] == place
            if not inside:
                problems[index].setdefault(
                    "grid_code",
                    _("The grid “%(code)s” is not in the village of the subject.") % {"code": grid},
                )

    def differs(self, existing: dict, record: dict) -> bool:
        code = record["organisation_code"]
        return (
            super().differs(existing, record)
            or existing["case_id"] is None
            or bool(code and code != existing["case__organisation__code"])
            or (existing["grid__code"] or "") != record["grid_code"]
        )

    def apply(self) -> None:
        self.cases = CaseWriter(self.importer.note)
        self.grid_ids = dict(
            filter_in(
                Region.objects.values_list("code", "id"),
                "code",
                {record["grid_code"] for record in self.records.values()} - {""},
                key_of=itemgetter(0),
            )
        )
        places = self.importer.places
        subjects = places.subjects(record["subject_code"] for record in self.records.values())
        organisations = organisation_ids(record["organisation_code"] for record in self.records.values())
        new = [ref for ref in self.records if ref not in self.existing]
        caseless = [ref for ref in self.changed if self.existing[ref]["case_id"] is None]
        opening = {
            ref: self._state(self.records[ref], None, subjects, organisations) for ref in [*new, *caseless]
        }
        paths = {ref: subjects[self.records[ref]["subject_code"]][1] for ref in self.records}
        self.case_ids = self.cases.open(
            opening,
            paths=paths,
            details={ref: {"level": self.records[ref]["level"]} for ref in opening},
        )
        super().apply()
        regridded = [
            Dispute(pk=self.existing[ref]["id"], grid_id=self.grid_ids.get(self.records[ref]["grid_code"]))
            for ref in self.changed
            if (self.existing[ref]["grid__code"] or "") != self.records[ref]["grid_code"]
        ]
        Dispute.objects.bulk_update(regridded, ["grid"], batch_size=500)
        if caseless:
            Dispute.objects.bulk_update(
                [Dispute(pk=self.existing[ref]["id"], case_id=self.case_ids[ref]) for ref in caseless],
                ["case"],
                batch_size=500,
            )
        owned = [
            ref
            for ref in self.changed
            if ref not in caseless and self.existing[ref]["case__kind"] == WorkKind.DISPUTE
        ]
        stored = stored_cases(owned)
        updates = {
            ref: (stored[ref], self._state(self.records[ref], stored[ref], subjects, organisations))
            for ref in owned
        }
        self.cases.update(
            updates,
            paths=paths,
            on={ref: state.closed_on or self.importer.today for ref, (_row, state) in updates.items()},
        )

    def extra_values(self, ref: str, record: dict) -> tuple:
        return (self.case_ids[ref], self.grid_ids.get(record["grid_code"]))

    def _state(
        self, record: dict, stored: dict | None, subjects: dict, organisations: dict[str, int]
    ) -> CaseState:
        """The case of a dispute row, as ``dispute_create`` opens it (or, for a stored case, as the row now
        leaves it: its due date and closing day kept where the row does not change them)."""
        subject_id, path = subjects[record["subject_code"]]
        status, places = record["status"], self.importer.places
        closed = status in CLOSED_STATUSES
        resolved_on = record["resolved_on"] if status == "resolved" else None
        if stored is None or stored["closed_on"] is None:
            closed_on = (resolved_on or record["reported_on"]) if closed else None
        else:
            closed_on = (resolved_on or stored["closed_on"]) if closed else None
        rule_set = places.rule_set(path)
        if closed_on:
            due_on = None
        elif stored is not None and stored["closed_on"] is None:
            due_on = stored["due_on"]
        else:
            due_on = rule_set.mediation_due(record["reported_on"] if stored is None else self.importer.today)
        if record["organisation_code"]:
            organisation = organisations[record["organisation_code"]]
        elif stored is not None:
            organisation = stored["organisation_id"]
        else:
            region_level = LEVEL_REGION[record["level"]]
            organisation = places.organisation(path, region_level, MEDIATORS[region_level])
        return CaseState(
            kind=WorkKind.DISPUTE,
            subject_id=subject_id,
            title=record["summary"][:200],
            step=status,
            organisation_id=organisation,
            opened_on=record["reported_on"],
            due_on=due_on,
            closed_on=closed_on,
        )
