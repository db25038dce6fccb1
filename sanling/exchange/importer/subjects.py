"""The subjects file: where each subject stands, its kind and dates; a changed place is a move."""

from django.db import models
from django.utils.translation import gettext as _

from sanling.core.queries import chunks, filter_in
from sanling.departments.models import Department
from sanling.personal.fields import PERSONAL_FIELDS, with_indexes
from sanling.regions.models import Region
from sanling.subjects.models import (
    PLACE_FIELDS,
    SUBJECT_FIELDS,
    Subject,
    SubjectPlacement,
    subject_record_days_errors,
    subject_rule_errors,
)
from sanling.subjects.selectors import record_days_by_code
from sanling.subjects.services import placement_move, placement_move_error

from ..schema import SUBJECTS
from .cells import RowReader, column_values
from .step import BATCH, FileResult, FileStep

# The fields a row gives a subject besides its code and place (``PLACE_FIELDS``, read from code columns).
SUBJECT_VALUE_FIELDS = [name for name in SUBJECT_FIELDS if name not in ("code", *PLACE_FIELDS)]
SUBJECT_COLUMNS = {name: name for name in SUBJECT_VALUE_FIELDS} | {
    "code": "code",
    "region": "region_code",
    "department": "department_code",
}


class SubjectsStep(FileStep):
    spec = SUBJECTS
    model = Subject
    lookups = {"region_code": "region__code", "department_code": "department__code"}

    def validate(self) -> None:
        region_levels = self.importer.region_levels
        region_codes = {
            row.get("region_code", "") for _number, row in (self.table.rows if self.table else [])
        }
        region_levels.update(
            filter_in(Region.objects.values_list("code", "level"), "code", region_codes - set(region_levels))
        )
        department_codes = self.importer.department_codes
        fields = ["id", "code", *SUBJECT_VALUE_FIELDS, "region__code", "department__code"]
        self.existing = {
            row["code"]: row for row in filter_in(Subject.objects.values(*fields), "code", self.codes)
        }
        moving: dict[str, RowReader] = {}
        referenced = set().union(
            *(column_values(table, "subject_code") for table in self.importer.record_tables)
        )
        known = set(
            filter_in(
                Subject.objects.values_list("code", flat=True),
                "code",
                referenced - self.codes,
                key_of=lambda code: code,
            )
        )
        within = self.importer.scope.subjects_within(known)
        self.importer.subject_codes = self.codes | within
        self.importer.foreign_subject_codes = known - within
        readers: dict[str, RowReader] = {}
        village_nodes: dict[str, int] = {}
        occupied = dict(
            filter_in(
                Subject.objects.filter(kind__in=["village", "community"]).values_list("region__code", "code"),
                "region__code",
                region_codes,
            )
        )
        for reader in self.rows():
            values = {
                "code": reader.text("code"),
                "name": reader.text("name"),
                "kind": reader.choice("kind"),
                "category": reader.choice("category"),
                "uscc": reader.text("uscc"),
                "address": reader.text("address"),
                "contact_name": reader.text("contact_name"),
                "contact_phone": reader.text("contact_phone"),
                "joined_on": reader.date("joined_on"),
                "retired_on": reader.date("retired_on"),
            }
            self._unmask_cells(reader, values)
            region_code, department_code = reader.text("region_code"), reader.text("department_code")
            if region_code and region_code not in region_levels:
                reader.error("region_code", _("Unknown region code “%(code)s”.") % {"code": region_code})
            if department_code and department_code not in department_codes:
                reader.error(
                    "department_code", _("Unknown department code “%(code)s”.") % {"code": department_code}
                )
            subject = Subject(**values)
            self.field_error(reader, subject, SUBJECT_COLUMNS, exclude=["region", "department"])
            for field_name, message in subject_rule_errors(
                kind=values["kind"],
                category=values["category"],
                has_department=bool(department_code),
                region_level=region_levels.get(region_code),
                joined_on=values["joined_on"],
                retired_on=values["retired_on"],
            ).items():
                reader.error(SUBJECT_COLUMNS[field_name], message)
            if values["kind"] in ("village", "community") and region_code:
                if region_code in village_nodes:
                    reader.error(
                        "region_code",
                        _("Village node “%(code)s” already has a village or community in row %(row)s.")
                        % {"code": region_code, "row": village_nodes[region_code]},
                    )
                village_nodes[region_code] = reader.number
                holder = occupied.get(region_code)
                if holder and holder != values["code"]:
                    reader.error(
                        "region_code",
                        _(
                            "Village node “%(code)s” already stands for subject %(holder)s; move that one first."
                        )
                        % {"code": region_code, "holder": holder},
                    )
            if reader.valid:
                subject.normalize()
                self.records[values["code"]] = {
                    **{name: getattr(subject, name) for name in SUBJECT_VALUE_FIELDS},
                    "code": values["code"],
                    "region_code": region_code,
                    "department_code": department_code,
                }
                readers[values["code"]] = reader
                if values["code"] in self.existing and self._place_changed(values["code"]):
                    moving[values["code"]] = reader
        if self.importer.scope.limited:
            self._check_scope(readers)
        self._check_record_days(readers)
        self._check_moves({code: reader for code, reader in moving.items() if code in self.records})

    def _unmask_cells(self, reader: RowReader, values: dict) -> None:
        """A personal cell holding the mask of the stored value (a masked export coming back) keeps the
        stored value, so the round trip changes nothing; any other masked cell is refused, never stored."""
        stored = self.existing.get(values["code"], {})
        for name, field in PERSONAL_FIELDS["subject"].items():
            cell = values[name]
            if "*" not in cell:
                continue
            if stored.get(name) and field.mask(stored[name]) == cell:
                values[name] = stored[name]
            else:
                reader.error(
                    name,
                    _("“%(value)s” is a masked value; give the full value or leave the stored one.")
                    % {"value": cell},
                )

    def _check_record_days(self, readers: dict[str, RowReader]) -> None:
        """A stored subject whose dates the file changes keeps its events and disputes inside them, as the
        subject services require (``subject_record_days_errors``)."""
        redated = [
            code
            for code in readers
            if code in self.existing
            and code in self.records  # not already refused
            and any(
                self.records[code][name] != self.existing[code][name] for name in ("joined_on", "retired_on")
            )
        ]
        if not redated:
            return
        days = record_days_by_code(redated)
        for code in redated:
            record, reader = self.records[code], readers[code]
            first, last = days.get(code, (None, None))
            for field_name, message in subject_record_days_errors(
                name=record["name"],
                joined_on=record["joined_on"],
                retired_on=record["retired_on"],
                first_record=first,
                last_record=last,
            ).items():
                reader.error(field_name, message)
            if not reader.valid:
                del self.records[code]

    def _check_scope(self, readers: dict[str, RowReader]) -> None:
        """A subject in the file stays in the caller's scope: where it stands now, and where the file
        puts it."""
        scope = self.importer.scope
        within = scope.subjects_within(code for code in readers if code in self.existing)
        region_codes = {self.records[code]["region_code"] for code in readers}
        paths = dict(
            filter_in(
                Region.objects.values_list("code", "path"),
                "code",
                region_codes - set(self.importer.region_paths),
            )
        )
        paths.update(self.importer.region_paths)
        department_ids = dict(Department.objects.values_list("code", "id"))
        for code, reader in readers.items():
            record = self.records[code]
            path = paths.get(record["region_code"], "")
            if code in self.existing and code not in within:
                reader.error("code", scope.outside(_("Subject “%(code)s”") % {"code": code}))
            elif not scope.covers_place(path, department_ids.get(record["department_code"])):
                if scope.scope.region is not None and not scope.covers_path(path):
                    column, what = "region_code", _("Region “%(code)s”")
                else:
                    column, what = "department_code", _("Department “%(code)s”")
                reader.error(column, scope.outside(what % {"code": record[column]}))
            if not reader.valid:
                del self.records[code]

    def _check_moves(self, moving: dict[str, RowReader]) -> None:
        """A changed region or department is a move today, under the subjects app's one rule for moves
        (``placement_move_error``): not for a subject that has retired, nor a second time today."""
        if not moving:
            return
        placed_since = dict(
            filter_in(
                SubjectPlacement.objects.filter(valid_to__isnull=True).values_list(
                    "subject__code", "valid_from"
                ),
                "subject__code",
                moving,
            )
        )
        for code, reader in moving.items():
            record = self.records[code]
            if error := placement_move_error(
                placed_since=placed_since.get(code),
                moved_on=self.importer.today,
                joined_on=record["joined_on"],
                retired_on=record["retired_on"],
            ):
                region_moved = self.existing[code]["region__code"] != self.records[code]["region_code"]
                reader.error("region_code" if region_moved else "department_code", error)
                del self.records[code]

    def plan(self) -> FileResult:
        self.changed: list[str] = []
        for code, record in self.records.items():
            existing = self.existing.get(code)
            if existing is None:
                self.result.created += 1
            elif self._differs(existing, record):
                self.result.updated += 1
                self.changed.append(code)
            else:
                self.result.unchanged += 1
        return self.result

    @staticmethod
    def _differs(existing: dict, record: dict) -> bool:
        return (
            any(existing[name] != record[name] for name in SUBJECT_VALUE_FIELDS)
            or existing["region__code"] != record["region_code"]
            or (existing["department__code"] or "") != record["department_code"]
        )

    def apply(self) -> None:
        region_ids = dict(
            filter_in(
                Region.objects.values_list("code", "id"),
                "code",
                {record["region_code"] for record in self.records.values()},
            )
        )
        department_ids = dict(Department.objects.values_list("code", "id"))

        def build(record: dict, pk: int | None = None) -> Subject:
            return Subject(
                pk=pk,
                code=record["code"],
                region_id=region_ids[record["region_code"]],
                department_id=department_ids.get(record["department_code"]),
                **{name: record[name] for name in SUBJECT_VALUE_FIELDS},
            )

        created = [build(record) for code, record in self.records.items() if code not in self.existing]
        Subject.objects.bulk_create(created, batch_size=BATCH)
        paths = dict(
            filter_in(
                Region.objects.values_list("code", "path"),
                "code",
                {record["region_code"] for record in self.records.values()},
            )
        )
        for code in self.written():
            record, existing = self.records[code], self.existing.get(code)
            self.audit(code, paths[record["region_code"]], record, existing and self._comparable(existing))
        created_ids = dict(
            filter_in(
                Subject.objects.values_list("code", "id"), "code", [subject.code for subject in created]
            )
        )
        SubjectPlacement.objects.bulk_create(
            (
                SubjectPlacement(
                    subject_id=created_ids[subject.code],
                    region_id=subject.region_id,
                    department_id=subject.department_id,
                )
                for subject in created
            ),
            batch_size=BATCH,
        )
        updates = [build(self.records[code], pk=self.existing[code]["id"]) for code in self.changed]
        Subject.objects.bulk_update(
            updates, with_indexes(Subject, [*SUBJECT_VALUE_FIELDS, "region", "department"]), batch_size=500
        )
        if updates:
            for chunk in chunks(subject.pk for subject in updates):
                Subject.objects.filter(pk__in=chunk).update(version=models.F("version") + 1)
        placement_move(
            subjects=[subject for subject in updates if self._place_changed(subject.code)],
            moved_on=self.importer.today,
        )
        if created or updates:
            self.importer.everything_changed = True

    def bulk_models(self) -> list[type[models.Model]]:
        return [Subject, SubjectPlacement]

    @staticmethod
    def _comparable(existing: dict) -> dict:
        return {**existing, "department__code": existing["department__code"] or ""}

    def _place_changed(self, code: str) -> bool:
        existing, record = self.existing[code], self.records[code]
        return (
            existing["region__code"] != record["region_code"]
            or (existing["department__code"] or "") != record["department_code"]
        )
