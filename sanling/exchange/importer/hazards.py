"""The ``hazards.csv`` file of the exchange bundle (issue 15): its importer step and its exporter rows.

Import is all or nothing with the rest of the bundle, idempotent (a row as stored changes nothing) and
checked in full before anything is written (a dry run reports the same counts). Each new row is registered
through ``hazard_register`` (a closed row is a closed case, rectified on its 复查通过日期); a changed row
updates the record through ``hazard_import_update`` (its text, category, level, owner and deadline; an open
hazard a file says was closed is closed). A row outside the caller's scope, of an unknown subject, grid or
organisation, or whose dates do not fit (before it was found, in the future) is a Chinese row error.
"""

from collections.abc import Iterable, Iterator

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sanling.core.validators import record_date_problem
from sanling.dictionary.models import EntryType
from sanling.dictionary.selectors import enabled_codes
from sanling.hazards.models import Hazard, HazardLevel, HazardSource, HazardStatus
from sanling.organisations.models import Organisation
from sanling.regions.models import Region
from sanling.subjects.models import Subject
from sanling.work.models import WorkItem

from ..schema import HAZARDS
from ..values import as_cell
from .cells import RowReader
from .step import FileResult, FileStep

# The columns compared with what is stored, in the file's order.
COMPARED = (
    "subject_code",
    "found_on",
    "category",
    "level",
    "description",
    "status",
    "due_on",
    "rectified_on",
    "grid_code",
    "source",
    "owner_person",
    "organisation_code",
)


def _stored(hazard: Hazard) -> dict:
    return {
        "subject_code": hazard.subject.code,
        "found_on": hazard.found_on,
        "category": hazard.category,
        "level": hazard.level,
        "description": hazard.description,
        "status": hazard.status,
        "due_on": hazard.case.due_on,
        "rectified_on": hazard.rectified_on,
        "grid_code": hazard.grid.code if hazard.grid_id else "",
        "source": hazard.source,
        "owner_person": hazard.owner_person,
        "organisation_code": hazard.owner_organisation.code if hazard.owner_organisation_id else "",
    }


class HazardsStep(FileStep):
    spec = HAZARDS
    model = Hazard

    def stored_cells(self, columns: list[str]) -> dict[str, dict[str, str]]:
        return {}  # a column the file leaves out keeps its stored value: ``_read`` fills it in

    def validate(self) -> None:
        self.existing = {}
        if self.table is None:
            return
        rows = list(self.rows())
        refs = {reader.row.get("ref", "") for reader in rows}
        self.existing = {
            hazard.ref: hazard
            for hazard in Hazard.objects.filter(ref__in=refs).select_related(
                "subject__region", "case", "grid", "owner_organisation"
            )
        }
        other_cases = set(
            WorkItem.objects.filter(ref__in=refs).exclude(kind="hazard").values_list("ref", flat=True)
        )
        categories = enabled_codes(EntryType.HAZARD_CATEGORY)
        grid_codes = {reader.row.get("grid_code", "") for reader in rows} - {""}
        grids = {region.code: region for region in Region.objects.filter(code__in=grid_codes)}
        organisation_codes = {reader.row.get("organisation_code", "") for reader in rows} - {""}
        organisations = self.importer.organisation_places(organisation_codes)
        subject_codes = self.importer.subject_codes
        joined = self.importer.joined_dates({reader.row.get("subject_code", "") for reader in rows} - {""})
        scope = self.importer.scope
        for reader in rows:
            record = self._read(reader)
            ref = record["ref"]
            code = record["subject_code"]
            if code and code not in subject_codes:
                if code in self.importer.foreign_subject_codes:
                    reader.error("subject_code", scope.outside(_("Subject “%(code)s”") % {"code": code}))
                else:
                    reader.error("subject_code", _("Unknown subject code “%(code)s”.") % {"code": code})
            if ref in other_cases:
                reader.error("ref", _("Reference “%(ref)s” already belongs to another case.") % {"ref": ref})
            stored = self.existing.get(ref)
            if (
                stored is not None
                and scope.limited
                and not scope.covers_place(stored.subject.region.path, stored.subject.department_id)
            ):
                reader.error("ref", scope.outside(_("Record “%(ref)s”") % {"ref": ref}))
            if record["category"] and record["category"] not in categories:
                if stored is None or stored.category != record["category"]:
                    reader.error(
                        "category",
                        _("“%(value)s” is not in the list of hazard categories.")
                        % {"value": record["category"]},
                    )
            if record["grid_code"]:
                grid = grids.get(record["grid_code"])
                if grid is None or grid.level not in ("grid", "building"):
                    reader.error(
                        "grid_code", _("Unknown grid code “%(code)s”.") % {"code": record["grid_code"]}
                    )
            if record["organisation_code"]:
                place = organisations.get(record["organisation_code"])
                if place is None:
                    reader.error(
                        "organisation_code",
                        _("Unknown organisation code “%(code)s”.") % {"code": record["organisation_code"]},
                    )
                elif scope.limited and not scope.may_name_organisation(*place):
                    reader.error(
                        "organisation_code",
                        scope.outside(_("Organisation “%(code)s”") % {"code": record["organisation_code"]}),
                    )
            found = record["found_on"]
            if found and code in joined and (problem := record_date_problem(found, joined_on=joined[code])):
                reader.error("found_on", problem)
            if record["status"] == HazardStatus.CLOSED and not record["rectified_on"]:
                reader.error("rectified_on", _("A closed hazard needs the day it passed its re-check."))
            if record["status"] != HazardStatus.CLOSED and record["rectified_on"]:
                reader.error("rectified_on", _("Only a closed hazard has a re-check date."))
            for key in ("due_on", "rectified_on"):
                if found and record[key] and record[key] < found:
                    reader.error(key, _("This date cannot be before the hazard was found."))
            if (
                stored is not None
                and stored.status == HazardStatus.CLOSED
                and record["status"] != HazardStatus.CLOSED
            ):
                reader.error("status", _("A closed hazard stays closed."))
            if reader.valid:
                self.records[ref] = record

    def _read(self, reader: RowReader) -> dict:
        absent = {key for key in COMPARED if key not in self.table.columns}
        stored = self.existing.get(reader.row.get("ref", "")) if absent else None
        values = _stored(stored) if stored is not None else {}
        record = {"ref": reader.text("ref")}
        for key in COMPARED:
            if key in absent and stored is not None:
                record[key] = values[key]
                continue
            if key in ("found_on", "rectified_on"):
                record[key] = reader.past_date(key)
            elif key == "due_on":
                record[key] = reader.date(key)
            elif key in ("level", "status", "source"):
                record[key] = reader.choice(key)
            else:
                record[key] = reader.text(key)
        record["level"] = record["level"] or HazardLevel.GENERAL
        record["status"] = record["status"] or HazardStatus.RECTIFYING
        record["source"] = record["source"] or HazardSource.INSPECTION
        return record

    def plan(self) -> FileResult:
        self.changed: list[str] = []
        for ref, record in self.records.items():
            stored = self.existing.get(ref)
            if stored is None:
                self.result.created += 1
            elif _differs(_stored(stored), record):
                self.result.updated += 1
                self.changed.append(ref)
            else:
                self.result.unchanged += 1
        return self.result

    def apply(self) -> None:
        from sanling.hazards.services import hazard_import_update, hazard_register

        subjects = {
            subject.code: subject
            for subject in Subject.objects.filter(
                code__in={record["subject_code"] for record in self.records.values()}
            ).select_related("region")
        }
        grids = {
            region.code: region
            for region in Region.objects.filter(
                code__in={r["grid_code"] for r in self.records.values()} - {""}
            )
        }
        organisations = {
            organisation.code: organisation
            for organisation in Organisation.objects.filter(
                code__in={r["organisation_code"] for r in self.records.values()} - {""}
            )
        }
        try:
            for ref, record in self.records.items():
                fields = {
                    "subject": subjects[record["subject_code"]],
                    "found_on": record["found_on"],
                    "category": record["category"],
                    "level": record["level"],
                    "description": record["description"],
                    "grid": grids.get(record["grid_code"]),
                    "source": record["source"],
                    "owner_person": record["owner_person"],
                    "owner": organisations.get(record["organisation_code"]),
                    "due_on": record["due_on"],
                    "status": record["status"],
                    "rectified_on": record["rectified_on"],
                }
                if ref not in self.existing:
                    hazard_register(ref=ref, **fields)
                elif ref in self.changed:
                    hazard_import_update(hazard=self.existing[ref], **fields)
        except ValidationError as error:  # checked above; a rule only a service knows fails the whole import
            from ..reader import BundleInvalid, RowError

            raise BundleInvalid([RowError(self.table.name, 0, "", "；".join(error.messages))]) from None

    def audit_entries(self):
        return 0, []  # the services audit each hazard they write


def _differs(stored: dict, record: dict) -> bool:
    """A closed case has no deadline any more: a closed row's 整改期限 is not compared."""
    closed = stored["status"] == record["status"] == HazardStatus.CLOSED
    return any(
        as_cell(stored[key]) != as_cell(record[key]) for key in COMPARED if not (closed and key == "due_on")
    )


def hazard_rows(scope) -> Iterator[list[str]]:
    """The hazards file of an export, in the columns of ``HAZARDS``."""
    hazards = (
        Hazard.objects.filter(scope.subject_q("subject__"))
        .select_related("subject", "case", "grid", "owner_organisation")
        .order_by("ref")
    )
    for hazard in hazards.iterator(chunk_size=2000):
        values = _stored(hazard)
        yield [as_cell(hazard.ref), *(as_cell(values[key]) for key in COMPARED)]


__all__: Iterable[str] = ["HazardsStep", "hazard_rows"]
