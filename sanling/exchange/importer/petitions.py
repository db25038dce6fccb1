"""The petitions file (issue 17): petition cases with their petitioner (personal data, encrypted at rest),
their step and its dates, and the petition event a county matter records.

Each petition gets its case under its ref, as ``petition_create`` opens one; a petition whose ref is a
dispute's that turned into a petition (已转信访) carries on that dispute's case, as
``petition_from_dispute`` does. A petition at county level or above has its petition event: the one of
the same ref (in this bundle's events file or already stored), else one recorded through the petition
services (``petition_record_event``), in the import's transaction, so the 达标率 move with it.
"""

from functools import cached_property
from operator import itemgetter

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sanling.core.queries import filter_in
from sanling.disputes.models import Dispute, DisputeStatus
from sanling.events.models import Event, EventType
from sanling.organisations.selectors import PETITION_TAKERS
from sanling.petitions.models import (
    COUNTY_AND_ABOVE,
    PETITION_FIELDS,
    Petition,
    normalize_id_number,
    petition_rule_errors,
    validate_id_number,
)
from sanling.petitions.services import petition_record_event
from sanling.work.models import DeadlineRuleSet, WorkKind

from ..schema import PETITIONS
from .cases import CaseState, CaseWriter, organisation_ids, stored_cases
from .disputes import CaseColumns, ref_taken
from .records import RecordStep

# The fields the importer derives (deadlines from the county's rules, the links) rather than reads.
DERIVED = ("case_id", "rule_set_id", "accept_due_on", "result_due_on", "event_id", "from_dispute_id")


class PetitionsStep(CaseColumns, RecordStep):
    spec = PETITIONS
    model = Petition
    fields = PETITION_FIELDS
    date_field = "received_on"
    kinds = {
        "ref": "text",
        "subject_code": "text",
        "received_on": "past_date",
        "channel": "choice",
        "visit_mode": "choice",
        "summary": "text",
        "level": "choice",
        "petitioner_name": "text",
        "petitioner_id_number": "text",
        "petitioner_phone": "text",
        "repeat": "flag",
        "collective": "flag",
        "people_count": "count",
        "bypass": "flag",
        "claim": "choice",
        "step": "choice",
        "accepted_on": "past_date",
        "replied_on": "past_date",
        "concluded_on": "past_date",
        "satisfaction": "choice",
        "organisation_code": "text",
    }
    defaults = {"step": "received", "people_count": 1}
    limited = ("ref", "summary", "petitioner_name", "petitioner_id_number", "petitioner_phone")
    rule_fields = (
        "step",
        "received_on",
        "accepted_on",
        "replied_on",
        "concluded_on",
        "collective",
        "people_count",
    )
    rules = staticmethod(petition_rule_errors)
    lookups = {"subject_code": "subject__code", "organisation_code": "case__organisation__code"}
    extra_lookups = ("case__organisation__code", "extended_on", *DERIVED)
    insert_extra = DERIVED

    def _complete(self, refs: list[str], columns: dict[str, list]) -> None:
        # ID numbers are compared and stored in one form (the check character X in capitals).
        columns["petitioner_id_number"] = [
            normalize_id_number(value) if "*" not in value else value
            for value in columns["petitioner_id_number"]
        ]

    def _check_more(
        self, refs: list[str], columns: dict[str, list], problems: dict[int, dict[str, str]]
    ) -> None:
        self._check_organisations(columns["organisation_code"], problems)
        self._check_id_numbers(columns["petitioner_id_number"], problems)
        self._check_cases(refs, problems)
        self._check_events(refs, columns["level"], problems)

    def _check_id_numbers(self, numbers: list[str], problems: dict[int, dict[str, str]]) -> None:
        """居民身份证号码 with a valid check character and date (python-stdnum, as the model validates)."""
        bad = {}
        for number in set(numbers) - {""}:
            try:
                validate_id_number(number)
            except ValidationError as error:
                bad[number] = error.messages[0]
        if bad:
            for index, number in enumerate(numbers):
                if number in bad:
                    problems[index].setdefault("petitioner_id_number", bad[number])

    def _check_cases(self, refs: list[str], problems: dict[int, dict[str, str]]) -> None:
        """A new petition opens its case under its ref, or carries on the case of the dispute of that ref
        if that dispute turned into a petition (已转信访); any other case of that ref is another's."""
        new = [ref for ref in refs if ref not in self.existing]
        cases = stored_cases(new)
        statuses = dict(filter_in(Dispute.objects.values_list("ref", "status"), "ref", set(new)))
        disputes_step = self.importer.step_for("disputes")
        statuses.update(
            {ref: disputes_step.records[ref]["status"] for ref in new if ref in disputes_step.records}
        )
        for index, ref in enumerate(refs):
            if ref in self.existing or not ref:
                continue
            if ref in statuses:
                if statuses[ref] != DisputeStatus.PETITIONED:
                    problems[index].setdefault(
                        "ref",
                        _(
                            "Dispute “%(ref)s” has this reference but has not turned into a petition "
                            "(status 已转信访)."
                        )
                        % {"ref": ref},
                    )
            elif ref in cases:
                problems[index].setdefault("ref", ref_taken(ref))

    def _check_events(self, refs: list[str], levels: list[str], problems: dict[int, dict[str, str]]) -> None:
        """A county matter's event of the same ref, if there is one, is a petition event."""
        county = {ref for ref, level in zip(refs, levels, strict=True) if level in COUNTY_AND_ABOVE}
        if not county:
            return
        types = dict(filter_in(Event.objects.values_list("ref", "type"), "ref", county))
        events_step = self.importer.step_for("events")
        types.update({ref: events_step.records[ref]["type"] for ref in county if ref in events_step.records})
        for index, ref in enumerate(refs):
            if ref in county and types.get(ref, EventType.PETITION) != EventType.PETITION:
                problems[index].setdefault(
                    "ref", _("Event “%(ref)s” has this reference but is not a petition.") % {"ref": ref}
                )

    def differs(self, existing: dict, record: dict) -> bool:
        code = record["organisation_code"]
        return (
            super().differs(existing, record)
            or bool(code and code != existing["case__organisation__code"])
            or (record["level"] in COUNTY_AND_ABOVE and existing["event_id"] is None)
        )

    def apply(self) -> None:
        self.cases = CaseWriter(self.importer.note)
        places = self.importer.places
        subjects = places.subjects(record["subject_code"] for record in self.records.values())
        organisations = organisation_ids(record["organisation_code"] for record in self.records.values())
        paths = {ref: subjects[record["subject_code"]][1] for ref, record in self.records.items()}
        new = [ref for ref in self.records if ref not in self.existing]
        from_disputes = {
            ref: (pk, case_id)
            for ref, pk, case_id in filter_in(
                Dispute.objects.values_list("ref", "id", "case_id"), "ref", set(new), key_of=itemgetter(0)
            )
        }
        stored = stored_cases(from_disputes)
        self.derived = {ref: self._derived(ref, paths[ref]) for ref in [*new, *self.changed]}
        opening = {
            ref: self._state(ref, None, subjects, organisations) for ref in new if ref not in from_disputes
        }
        self.case_ids = self.cases.open(
            opening,
            paths=paths,
            details={
                ref: {"level": self.records[ref]["level"], "channel": self.records[ref]["channel"]}
                for ref in opening
            },
        )
        self.case_ids.update({ref: case_id for ref, (_pk, case_id) in from_disputes.items()})
        self.cases.update(
            {
                ref: (stored[ref], self._state(ref, None, subjects, organisations, taken=stored[ref]))
                for ref in from_disputes
            },
            paths=paths,
            on={ref: self.records[ref]["received_on"] for ref in from_disputes},
            action="receive",
            details={ref: {"level": self.records[ref]["level"]} for ref in from_disputes},
        )
        self.dispute_ids = {ref: pk for ref, (pk, _case) in from_disputes.items()}
        self.event_ids = dict(
            filter_in(
                Event.objects.filter(type=EventType.PETITION).values_list("ref", "id"),
                "ref",
                {ref for ref in [*new, *self.changed] if self.records[ref]["level"] in COUNTY_AND_ABOVE},
            )
        )
        super().apply()
        self._update_changed(subjects, organisations, paths)
        self._record_events(new)

    @cached_property
    def _rule_sets(self) -> dict[int, DeadlineRuleSet]:
        """The stored rule sets by id (a county's petitions keep the rules they were received under)."""
        return DeadlineRuleSet.objects.in_bulk()

    def _derived(self, ref: str, path: str) -> dict:
        """The deadlines of a row by the county's rules (a stored petition keeps its rule set and its
        deadlines unless the dates they count from change, and an extension stays granted)."""
        record, existing = self.records[ref], self.existing.get(ref)
        rule_set = self.importer.places.rule_set(path)
        if existing and existing["rule_set_id"]:
            rule_set = self._rule_sets[existing["rule_set_id"]]
        if existing and (existing["received_on"], existing["accepted_on"]) == (
            record["received_on"],
            record["accepted_on"],
        ):
            accept_due, result_due = existing["accept_due_on"], existing["result_due_on"]
        else:
            accept_due = rule_set.accept_due(record["received_on"])
            result_due = (
                rule_set.result_due(received_on=record["received_on"], accepted_on=record["accepted_on"])
                if record["accepted_on"]
                else None
            )
            if result_due and existing and existing["extended_on"]:
                result_due = rule_set.extended(result_due)
        return {
            "rule_set": rule_set,
            "rule_set_id": existing["rule_set_id"] if existing else rule_set.pk,
            "accept_due_on": accept_due,
            "result_due_on": result_due,
        }

    def _state(
        self,
        ref: str,
        stored: dict | None,
        subjects: dict,
        organisations: dict[str, int],
        taken: dict | None = None,
    ) -> CaseState:
        """The case of a petition row, as the petition services leave it at its step: due for the step's
        deadline, closed on the day it was concluded. A stored open case at the same step keeps its due
        date (a review's deadline counts from a day the file does not hold)."""
        record, derived = self.records[ref], self.derived[ref]
        subject_id, path = subjects[record["subject_code"]]
        step, rule_set = record["step"], derived["rule_set"]
        if step == "concluded":
            due_on = None
        elif stored is not None and stored["closed_on"] is None and stored["step"] == step:
            due_on = stored["due_on"]
        elif step == "received":
            due_on = derived["accept_due_on"]
        elif step == "handling":
            due_on = derived["result_due_on"]
        else:
            due_on = rule_set.review_due(record["replied_on"]) if record["replied_on"] else None
        if record["organisation_code"]:
            organisation = organisations[record["organisation_code"]]
        elif stored is not None:
            organisation = stored["organisation_id"]
        else:
            level = record["level"] if record["level"] in ("village", "town", "county") else "county"
            organisation = self.importer.places.organisation(path, level, PETITION_TAKERS)
            if organisation is None and taken is not None:
                organisation = taken["organisation_id"]
        # A case carried on from a dispute keeps the day it was opened and its title, as 转信访 does.
        existing = self.existing.get(ref, {})
        carried = taken or (stored if existing.get("from_dispute_id") else None)
        return CaseState(
            kind=WorkKind.PETITION,
            subject_id=subject_id,
            title=carried["title"] if carried else record["summary"][:200],
            step=step,
            organisation_id=organisation,
            opened_on=carried["opened_on"] if carried else record["received_on"],
            due_on=due_on,
            closed_on=record["concluded_on"] if step == "concluded" else None,
        )

    def extra_values(self, ref: str, record: dict) -> tuple:
        derived = self.derived[ref]
        return (
            self.case_ids[ref],
            derived["rule_set_id"],
            derived["accept_due_on"],
            derived["result_due_on"],
            self.event_ids.get(ref),
            self.dispute_ids.get(ref),
        )

    def _update_changed(self, subjects: dict, organisations: dict, paths: dict) -> None:
        if not self.changed:
            return
        Petition.objects.bulk_update(
            [
                Petition(
                    pk=self.existing[ref]["id"],
                    accept_due_on=self.derived[ref]["accept_due_on"],
                    result_due_on=self.derived[ref]["result_due_on"],
                )
                for ref in self.changed
            ],
            ["accept_due_on", "result_due_on"],
            batch_size=500,
        )
        cases = stored_cases(self.changed)
        updates = {
            ref: (cases[ref], self._state(ref, cases[ref], subjects, organisations)) for ref in self.changed
        }
        self.cases.update(
            updates,
            paths=paths,
            on={ref: state.closed_on or self.importer.today for ref, (_row, state) in updates.items()},
        )

    def _record_events(self, new: list[str]) -> None:
        """County matters without their event link the petition event of their ref if there is one, else
        record it through the petition services, on the day the petition was received (the day it reached
        the county is not in the file); a changed one that rose higher moves its event up."""
        county = [ref for ref in [*new, *self.changed] if self.records[ref]["level"] in COUNTY_AND_ABOVE]
        unlinked = [ref for ref in county if self.existing.get(ref, {}).get("event_id") is None]
        linking = [ref for ref in unlinked if ref in self.existing and ref in self.event_ids]
        Petition.objects.bulk_update(
            [Petition(pk=self.existing[ref]["id"], event_id=self.event_ids[ref]) for ref in linking],
            ["event"],
            batch_size=500,
        )
        refs = [ref for ref in unlinked if ref not in self.event_ids]
        refs += [
            ref
            for ref in county
            if ref in self.existing
            and self.existing[ref]["event_id"] is not None
            and self.existing[ref]["level"] != self.records[ref]["level"]
        ]
        petitions = Petition.objects.select_related("subject__region", "event")
        for petition in filter_in(petitions, "ref", refs):
            petition_record_event(petition, petition.received_on)
            self.importer.touched_years.add(petition.received_on.year)
