"""Importing a bundle: validate every row of every file first, then write all of it in one transaction.

One bad row anywhere means nothing is written; the same bundle twice changes nothing; a changed row
updates the record with the same code in place.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sanling.departments.models import Department
from sanling.regions.models import LEVEL_RANK, Region, level_order_error, make_path, region_code_error
from sanling.regions.services import region_move
from sanling.subjects.models import Subject, subject_rule_errors

from .reader import BundleInvalid, RowError, Table, read_bundle
from .schema import DEPARTMENTS, REGIONS, SUBJECTS, FileSpec, choice_aliases
from .values import parse_date

BATCH = 1000


@dataclass
class FileResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportResult:
    dry_run: bool
    files: dict[str, FileResult] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(result.created or result.updated for result in self.files.values())


def bundle_import(path: str | Path, *, dry_run: bool = False) -> ImportResult:
    """Import the bundle at ``path``. Raises BundleInvalid with every bad row; writes nothing then."""
    with translation.override("zh-hans"):
        tables = read_bundle(path)
        with transaction.atomic():
            importer = BundleImporter(tables)
            importer.validate()
            if importer.errors:
                raise BundleInvalid(importer.errors)
            result = ImportResult(dry_run=dry_run, files=importer.plan())
            if not dry_run:
                importer.apply()
        return result


class RowReader:
    """Reads the cells of one row, turning each problem into a RowError for its column."""

    def __init__(self, table: Table, number: int, row: dict[str, str], errors: list[RowError]):
        self.table, self.number, self.row, self.errors = table, number, row, errors
        self.bad_columns: set[str] = set()

    @property
    def valid(self) -> bool:
        return not self.bad_columns

    def error(self, key: str, message: str) -> None:
        """Record a problem with the cell of column ``key``; only the first one per cell is kept."""
        if key in self.bad_columns:
            return
        self.bad_columns.add(key)
        column = self.table.spec.column(key).title if key else ""
        self.errors.append(RowError(self.table.name, self.number, column, str(message)))

    def text(self, key: str) -> str:
        value = self.row.get(key, "")
        column = self.table.spec.column(key)
        if column.required and not value:
            self.error(key, _("This column is required."))
        return value

    def choice(self, key: str) -> str:
        value = self.text(key)
        column = self.table.spec.column(key)
        if not value:
            return ""
        aliases = choice_aliases(column)
        if value not in aliases and value.lower() not in aliases:
            options = "、".join(column.choices.values())
            self.error(
                key,
                _("Unknown value “%(value)s”; use one of: %(options)s.")
                % {"value": value, "options": options},
            )
            return ""
        return aliases.get(value) or aliases[value.lower()]

    def date(self, key: str) -> datetime.date | None:
        value = self.text(key)
        if not value:
            return None
        parsed = parse_date(value)
        if parsed is None:
            self.error(
                key,
                _("“%(value)s” is not a date; write it as YYYY-MM-DD, e.g. 2021-03-05.") % {"value": value},
            )
        return parsed

    def model_errors(self, error: ValidationError, columns: dict[str, str]) -> None:
        """Report a model's ValidationError against the columns its fields come from."""
        for field_name, messages in error.message_dict.items():
            self.error(columns.get(field_name, ""), "；".join(messages))


class FileStep:
    """Validates, plans and applies one file of the bundle."""

    spec: FileSpec
    model: type[models.Model]

    def __init__(self, importer: "BundleImporter", table: Table | None):
        self.importer = importer
        self.table = table
        self.records: dict[str, dict] = {}
        self.result = FileResult()

    def rows(self) -> Iterable[RowReader]:
        seen: dict[str, int] = {}
        for number, row in self.table.rows if self.table else []:
            reader = RowReader(self.table, number, row, self.importer.errors)
            key = row.get(self.spec.columns[0].key, "")
            if key and key in seen:
                reader.error(
                    self.spec.columns[0].key,
                    _("“%(code)s” already appears in row %(row)s of this file.")
                    % {"code": key, "row": seen[key]},
                )
                continue
            if key:
                seen[key] = number
            yield reader

    @property
    def codes(self) -> set[str]:
        return {
            row.get(self.spec.columns[0].key, "") for _number, row in (self.table.rows if self.table else [])
        } - {""}

    def field_error(
        self, reader: RowReader, instance: models.Model, columns: dict[str, str], exclude: list[str]
    ) -> None:
        """Run the model's own field validation (lengths, formats) on the row's values.

        Empty cells are skipped: a missing required cell has already been reported for its column.
        """
        empty = [f.name for f in instance._meta.concrete_fields if getattr(instance, f.attname) in ("", None)]
        try:
            instance.clean_fields(exclude=[*exclude, *empty])
        except ValidationError as error:
            reader.model_errors(error, columns)


class RegionsStep(FileStep):
    spec = REGIONS
    model = Region

    def validate(self) -> None:
        bundle_levels = {
            row.get("code", ""): choice_aliases(REGIONS.column("level")).get(row.get("level", ""), "")
            for _number, row in (self.table.rows if self.table else [])
        }
        self.existing = {region.code: region for region in Region.objects.filter(code__in=self.codes)}
        parent_codes = {
            row.get("parent_code", "") for _number, row in (self.table.rows if self.table else [])
        }
        known_levels = dict(
            Region.objects.filter(code__in=parent_codes - set(bundle_levels)).values_list("code", "level")
        )
        known_levels.update(bundle_levels)
        self.importer.region_levels = known_levels
        for reader in self.rows():
            code, name, level = reader.text("code"), reader.text("name"), reader.choice("level")
            parent_code = reader.text("parent_code")
            if not (code and level):
                continue
            if error := region_code_error(code, level, parent_code or None):
                reader.error("code", error)
            self.field_error(
                reader,
                Region(code=code, name=name, level=level),
                {"name": "name"},
                exclude=["code", "level", "path", "depth", "parent"],
            )
            if parent_code == code:
                reader.error("parent_code", _("A region cannot be its own parent."))
            elif parent_code and parent_code not in known_levels:
                reader.error(
                    "parent_code",
                    _("Unknown parent code “%(code)s”: it is neither in the bundle nor in the system.")
                    % {"code": parent_code},
                )
            elif error := level_order_error(level, known_levels.get(parent_code) if parent_code else None):
                reader.error("level", error)
            existing = self.existing.get(code)
            if existing and existing.level != level:
                reader.error("level", _("The level of an existing region cannot be changed by an import."))
            if reader.valid:
                self.records[code] = {"code": code, "name": name, "level": level, "parent_code": parent_code}

    def plan(self) -> FileResult:
        parent_codes = dict(Region.objects.filter(code__in=self.existing).values_list("code", "parent__code"))
        for code, record in self.records.items():
            existing = self.existing.get(code)
            if existing is None:
                self.result.created += 1
            elif existing.name != record["name"] or (parent_codes[code] or "") != record["parent_code"]:
                self.result.updated += 1
            else:
                self.result.unchanged += 1
        self.parent_codes = parent_codes
        return self.result

    def apply(self) -> None:
        today = timezone.localdate()
        for level in sorted(
            {record["level"] for record in self.records.values()}, key=LEVEL_RANK.__getitem__
        ):
            records = [record for record in self.records.values() if record["level"] == level]
            wanted = {record["parent_code"] for record in records} | {record["code"] for record in records}
            nodes = {region.code: region for region in Region.objects.filter(code__in=wanted - {""})}
            new, renamed = [], []
            for record in records:
                parent = nodes.get(record["parent_code"])
                region = nodes.get(record["code"])
                if region is None:
                    region = Region(code=record["code"], name=record["name"], level=level, parent=parent)
                    region.path = make_path(parent.path if parent else "", region.code)
                    region.depth = parent.depth + 1 if parent else 0
                    new.append(region)
                    continue
                if region.name != record["name"]:
                    region.name = record["name"]
                    renamed.append(region)
                if (self.parent_codes.get(region.code) or "") != record["parent_code"] and parent:
                    region_move(
                        region=region, new_parent=parent, moved_on=today, note=_("moved by an import")
                    )
            Region.objects.bulk_create(new, batch_size=BATCH)
            Region.objects.bulk_update(renamed, ["name"], batch_size=BATCH)


class DepartmentsStep(FileStep):
    spec = DEPARTMENTS
    model = Department

    def validate(self) -> None:
        for reader in self.rows():
            code, name = reader.text("code"), reader.text("name")
            if code:
                self.field_error(
                    reader, Department(code=code, name=name), {"code": "code", "name": "name"}, exclude=[]
                )
            if reader.valid:
                self.records[code] = {"code": code, "name": name}
        self.importer.department_codes = self.codes | set(Department.objects.values_list("code", flat=True))

    def plan(self) -> FileResult:
        self.existing = {
            department.code: department for department in Department.objects.filter(code__in=self.records)
        }
        for code, record in self.records.items():
            existing = self.existing.get(code)
            if existing is None:
                self.result.created += 1
            elif existing.name != record["name"]:
                self.result.updated += 1
            else:
                self.result.unchanged += 1
        return self.result

    def apply(self) -> None:
        Department.objects.bulk_create(
            [Department(**record) for code, record in self.records.items() if code not in self.existing],
            batch_size=BATCH,
        )
        changed = []
        for code, department in self.existing.items():
            if department.name != self.records[code]["name"]:
                department.name = self.records[code]["name"]
                changed.append(department)
        Department.objects.bulk_update(changed, ["name"], batch_size=BATCH)


SUBJECT_VALUE_FIELDS = [
    "name",
    "kind",
    "category",
    "uscc",
    "address",
    "contact_name",
    "contact_phone",
    "joined_on",
    "retired_on",
]
SUBJECT_COLUMNS = {name: name for name in SUBJECT_VALUE_FIELDS} | {
    "code": "code",
    "region": "region_code",
    "department": "department_code",
}


class SubjectsStep(FileStep):
    spec = SUBJECTS
    model = Subject

    def validate(self) -> None:
        region_levels = self.importer.region_levels
        region_codes = {
            row.get("region_code", "") for _number, row in (self.table.rows if self.table else [])
        }
        region_levels.update(
            Region.objects.filter(code__in=region_codes - set(region_levels)).values_list("code", "level")
        )
        department_codes = self.importer.department_codes
        village_nodes: dict[str, int] = {}
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
            if reader.valid:
                subject.normalize()
                self.records[values["code"]] = {
                    **{name: getattr(subject, name) for name in SUBJECT_VALUE_FIELDS},
                    "code": values["code"],
                    "region_code": region_code,
                    "department_code": department_code,
                }

    def plan(self) -> FileResult:
        fields = ["id", "code", *SUBJECT_VALUE_FIELDS, "region__code", "department__code"]
        self.existing = {
            row["code"]: row for row in Subject.objects.filter(code__in=self.records).values(*fields)
        }
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
            Region.objects.filter(
                code__in={record["region_code"] for record in self.records.values()}
            ).values_list("code", "id")
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

        Subject.objects.bulk_create(
            [build(record) for code, record in self.records.items() if code not in self.existing],
            batch_size=BATCH,
        )
        updates = [build(self.records[code], pk=self.existing[code]["id"]) for code in self.changed]
        Subject.objects.bulk_update(updates, [*SUBJECT_VALUE_FIELDS, "region", "department"], batch_size=500)
        if updates:
            Subject.objects.filter(pk__in=[subject.pk for subject in updates]).update(
                version=models.F("version") + 1
            )


class BundleImporter:
    """Runs the steps of every file in dependency order, sharing what later files need to know."""

    step_classes: list[type[FileStep]] = [RegionsStep, DepartmentsStep, SubjectsStep]

    def __init__(self, tables: dict[str, Table]):
        self.errors: list[RowError] = []
        self.region_levels: dict[str, str] = {}
        self.department_codes: set[str] = set()
        self.steps = [step_class(self, tables.get(step_class.spec.key)) for step_class in self.step_classes]

    def validate(self) -> None:
        for step in self.steps:
            step.validate()

    def plan(self) -> dict[str, FileResult]:
        return {step.spec.key: step.plan() for step in self.steps if step.table is not None}

    def apply(self) -> None:
        for step in self.steps:
            if step.table is not None:
                step.apply()
