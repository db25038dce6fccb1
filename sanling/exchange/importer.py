"""Importing a bundle: validate every row of every file first, then write all of it in one transaction.

One bad row anywhere means nothing is written; the same bundle twice changes nothing; a changed row
updates the record with the same code in place.
"""

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, partial
from itertools import chain, repeat
from operator import itemgetter
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sanling.assessment.models import AssessedYear
from sanling.assessment.services import assessment_recompute
from sanling.audit.models import Action
from sanling.audit.services import Change, audit_changes
from sanling.core.bulk import analyze, bulk_load, collector_paused, fast_insert
from sanling.core.queries import chunks, filter_in
from sanling.core.validators import validate_not_in_future
from sanling.departments.models import Department
from sanling.disputes.models import DISPUTE_FIELDS, Dispute, dispute_rule_errors
from sanling.events.models import EVENT_FIELDS, EVENT_RULE_FIELDS, Event, event_rule_errors
from sanling.regions.models import LEVEL_RANK, Region, level_order_error, make_path, region_code_error
from sanling.regions.services import region_move
from sanling.subjects.models import Subject, SubjectPlacement, subject_rule_errors

from .reader import BundleInvalid, RowError, Table, read_bundle
from .schema import DEPARTMENTS, DISPUTES, EVENTS, REGIONS, SUBJECTS, FileSpec
from .values import parse_date

BATCH = 1000
BULK_LOAD = 10_000  # rows written to a table from which its statistics are refreshed
# Import columns under the field names the audit trail uses everywhere else.
AUDITED_NAMES = {
    "subject_code": "subject",
    "subject__code": "subject",
    "region_code": "region",
    "region__code": "region",
    "department_code": "department",
    "department__code": "department",
    "parent_code": "parent",
}
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
WHOLE_NUMBER = re.compile(r"^[0-9]{1,7}$")
MAX_PEOPLE = 1_000_000


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
    with translation.override("zh-hans"), collector_paused():
        tables = read_bundle(path)
        with transaction.atomic():
            importer = BundleImporter(tables, note=_("import of %(name)s") % {"name": Path(path).name})
            importer.validate()
            if importer.errors:
                raise BundleInvalid(importer.errors)
            result = ImportResult(dry_run=dry_run, files=importer.plan())
            if not dry_run:
                importer.apply()
        return result


def audited(record: dict) -> dict:
    """``record`` under the field names of the audit trail (``AUDITED_NAMES``), renamed in C: an import
    audits every row it writes."""
    return dict(zip(map(AUDITED_NAMES.get, record, record), record.values(), strict=True))


def column_cells(table: Table, key: str) -> list[str]:
    """The cells of one column, row by row ("" where a row has none), read in C loops: a file may hold
    millions of rows."""
    return list(map(dict.get, map(itemgetter(1), table.rows), repeat(key), repeat("")))


def column_values(table: Table, key: str) -> set[str]:
    """The distinct cells of one column."""
    return set(column_cells(table, key))


def _as_cell(value: object) -> str:
    """A stored value written the way a bundle cell carries it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


class CellParser:
    """Turns the text of a cell into its value, or says in Chinese why it cannot be one.

    What a typed cell (a choice, date, yes/no, count) means depends only on its column and its text, so
    each distinct pair is parsed once per file: a province's two million events repeat a few hundred
    dates and a handful of types and levels.
    """

    def __init__(self, table: Table, today: datetime.date):
        self.spec, self.today = table.spec, today
        self.parsed: dict[tuple[str, str, str], tuple[object, str]] = {}

    def typed(self, kind: str, key: str, value: str) -> tuple[object, str]:
        """(value, problem) of a cell parsed as ``kind`` (a method of this class); problem is "" if none."""
        try:
            return self.parsed[kind, key, value]
        except KeyError:
            result = self.parsed[kind, key, value] = getattr(self, kind)(key, value)
            return result

    def text(self, key: str, value: str) -> tuple[str, str]:
        if not value:
            if self.spec.column(key).required:
                return value, _("This column is required.")
            return value, ""
        if CONTROL_CHARACTERS.search(value):
            return "", _("The cell holds invisible control characters; retype it.")
        return value, ""

    def choice(self, key: str, value: str) -> tuple[str, str]:
        value, problem = self.text(key, value)
        if not value:
            return "", problem
        aliases = self.spec.aliases[key]
        if value not in aliases and value.lower() not in aliases:
            options = "、".join(self.spec.column(key).choices.values())
            return "", _("Unknown value “%(value)s”; use one of: %(options)s.") % {
                "value": value,
                "options": options,
            }
        return aliases.get(value) or aliases[value.lower()], ""

    def date(self, key: str, value: str) -> tuple[datetime.date | None, str]:
        value, problem = self.text(key, value)
        if not value:
            return None, problem
        parsed = parse_date(value)
        if parsed is None:
            return None, _("“%(value)s” is not a date; write it as YYYY-MM-DD, e.g. 2021-03-05.") % {
                "value": value
            }
        return parsed, ""

    def past_date(self, key: str, value: str) -> tuple[datetime.date | None, str]:
        day, problem = self.date(key, value)
        try:
            validate_not_in_future(day, self.today)
        except ValidationError as error:
            return day, problem or error.messages[0]
        return day, problem

    def flag(self, key: str, value: str) -> tuple[bool, str]:
        value, problem = self.choice(key, value)
        return value == "true", problem

    def count(self, key: str, value: str) -> tuple[int, str]:
        value, problem = self.text(key, value)
        if not value:
            return 0, problem
        if not WHOLE_NUMBER.match(value) or int(value) > MAX_PEOPLE:
            return 0, _("“%(value)s” is not a whole number of people.") % {"value": value}
        return int(value), ""


class RowReader:
    """Reads the cells of one row, turning each problem into a RowError for its column."""

    __slots__ = ("table", "number", "row", "errors", "cells", "bad_columns")  # one per row of a file

    def __init__(
        self, table: Table, number: int, row: dict[str, str], errors: list[RowError], cells: CellParser
    ):
        self.table, self.number, self.row, self.errors, self.cells = table, number, row, errors, cells
        self.bad_columns: tuple[str, ...] = ()

    @property
    def valid(self) -> bool:
        return not self.bad_columns

    def error(self, key: str, message: str) -> None:
        """Record a problem with the cell of column ``key``; only the first one per cell is kept."""
        if key in self.bad_columns:
            return
        self.bad_columns += (key,)
        column = self.table.spec.column(key).title if key else ""
        self.errors.append(RowError(self.table.name, self.number, column, str(message)))

    def _read(self, kind: str, key: str):
        value, problem = self.cells.typed(kind, key, self.row.get(key, ""))
        if problem:
            self.error(key, problem)
        return value

    def text(self, key: str) -> str:
        # Not remembered: names, codes and titles rarely repeat.
        value, problem = self.cells.text(key, self.row.get(key, ""))
        if problem:
            self.error(key, problem)
        return value

    def choice(self, key: str) -> str:
        return self._read("choice", key)

    def date(self, key: str) -> datetime.date | None:
        return self._read("date", key)

    def past_date(self, key: str) -> datetime.date | None:
        return self._read("past_date", key)

    def flag(self, key: str) -> bool:
        return self._read("flag", key)

    def count(self, key: str) -> int:
        return self._read("count", key)

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
        self.changes: list[Change] = []  # audit entries, queued as the step writes

    # Column key -> the lookup that reads its stored value, where it differs from the key.
    lookups: dict[str, str] = {}

    def stored_cells(self, columns: list[str]) -> dict[str, dict[str, str]]:
        """Code -> the stored values of ``columns`` written as cells, for the records the file names."""
        key = self.spec.columns[0].key
        lookups = [self.lookups.get(column, column) for column in columns]
        rows = filter_in(self.model.objects.values_list(key, *lookups), key, self.codes)
        return {row[0]: dict(zip(columns, map(_as_cell, row[1:]), strict=True)) for row in rows}

    def rows(self) -> Iterable[RowReader]:
        """The rows of the file, duplicates reported. A column the file leaves out keeps the stored value
        of an existing record (and its default for a new one), so a partial file never wipes data."""
        seen: dict[str, int] = {}
        absent = [
            column.key for column in self.spec.columns if self.table and column.key not in self.table.columns
        ]
        stored = self.stored_cells(absent) if absent else {}
        cells = CellParser(self.table, self.importer.today) if self.table else None
        for number, row in self.table.rows if self.table else []:
            reader = RowReader(self.table, number, row, self.importer.errors, cells)
            key = row.get(self.spec.columns[0].key, "")
            if key in stored:
                row.update(stored[key])
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
        return column_values(self.table, self.spec.columns[0].key) - {""} if self.table else set()

    def bulk_models(self) -> list[type[models.Model]]:
        """The tables this step writes, for refreshing their statistics after a bulk load."""
        return [self.model]

    def written(self) -> Iterable[str]:
        """Keys of the records this import creates, then of those it changes (``plan`` found them)."""
        yield from (key for key in self.records if key not in self.existing)
        yield from self.changed

    def audit(self, key: str, region_path: str, record: dict, existing: dict | None = None) -> None:
        """Queue the audit entry of one imported row."""
        self.changes.append(self.change(key, region_path, record, existing))

    def change(self, key: str, region_path: str, record: dict, existing: dict | None = None) -> Change:
        """The audit entry of one imported row: created, or the fields it changed."""
        after = audited(record)
        before = {}
        if existing is not None:
            old = audited(existing)
            changed = {name for name in after if name in old and old[name] != after[name]}
            before = {name: old[name] for name in changed}
            after = {name: after[name] for name in changed}
        return Change(
            Action.UPDATE if existing is not None else Action.CREATE,
            self.model._meta.model_name,
            key,
            region_path,
            before,
            after,
            self.importer.note,
            "import.applied",
        )

    def audit_entries(self) -> tuple[int, Iterable[Change]]:
        """How many audit entries this step's writes make, and the entries."""
        return len(self.changes), self.changes

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
    lookups = {"parent_code": "parent__code"}

    def validate(self) -> None:
        aliases = REGIONS.aliases["level"]
        bundle_levels = {
            row.get("code", ""): aliases.get(row.get("level", ""))
            or aliases.get(row.get("level", "").lower(), "")
            for _number, row in (self.table.rows if self.table else [])
        }
        self.existing = {
            region.code: region for region in filter_in(Region.objects.all(), "code", self.codes)
        }
        self.parent_codes = dict(
            filter_in(Region.objects.values_list("code", "parent__code"), "code", self.existing)
        )
        parent_codes = {
            row.get("parent_code", "") for _number, row in (self.table.rows if self.table else [])
        }
        known_levels = dict(
            filter_in(Region.objects.values_list("code", "level"), "code", parent_codes - set(bundle_levels))
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
            if existing and self.parent_codes[code] and not parent_code:
                reader.error("parent_code", _("An import cannot take a region out from under its parent."))
            if reader.valid:
                self.records[code] = {"code": code, "name": name, "level": level, "parent_code": parent_code}

    def plan(self) -> FileResult:
        parent_codes = self.parent_codes
        for code, record in self.records.items():
            existing = self.existing.get(code)
            if existing is None:
                self.result.created += 1
            elif existing.name != record["name"] or (parent_codes[code] or "") != record["parent_code"]:
                self.result.updated += 1
            else:
                self.result.unchanged += 1
        return self.result

    def apply(self) -> None:
        today = timezone.localdate()
        for level in sorted(
            {record["level"] for record in self.records.values()}, key=LEVEL_RANK.__getitem__
        ):
            records = [record for record in self.records.values() if record["level"] == level]
            wanted = {record["parent_code"] for record in records} | {record["code"] for record in records}
            nodes = {region.code: region for region in filter_in(Region.objects.all(), "code", wanted - {""})}
            new, renamed = [], []
            for record in records:
                parent = nodes.get(record["parent_code"])
                region = nodes.get(record["code"])
                if region is None:
                    region = Region(code=record["code"], name=record["name"], level=level, parent=parent)
                    region.path = make_path(parent.path if parent else "", region.code)
                    region.depth = parent.depth + 1 if parent else 0
                    new.append(region)
                    self.audit(region.code, region.path, record)
                    continue
                if region.name != record["name"]:
                    self.audit(region.code, region.path, {"name": record["name"]}, {"name": region.name})
                    region.name = record["name"]
                    renamed.append(region)
                if (self.parent_codes.get(region.code) or "") != record["parent_code"] and parent:
                    region_move(
                        region=region, new_parent=parent, moved_on=today, note=_("moved by an import")
                    )
                    self.importer.everything_changed = True
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
        for code, record in self.records.items():
            if code not in self.existing:
                self.audit(code, "", record)
        changed = []
        for code, department in self.existing.items():
            if department.name != self.records[code]["name"]:
                self.audit(code, "", self.records[code], {"code": code, "name": department.name})
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
        referenced = set().union(
            *(column_values(table, "subject_code") for table in self.importer.record_tables)
        )
        self.importer.subject_codes = self.codes | set(
            filter_in(
                Subject.objects.values_list("code", flat=True),
                "code",
                referenced - self.codes,
                key_of=lambda code: code,
            )
        )
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

    def plan(self) -> FileResult:
        fields = ["id", "code", *SUBJECT_VALUE_FIELDS, "region__code", "department__code"]
        self.existing = {
            row["code"]: row for row in filter_in(Subject.objects.values(*fields), "code", self.records)
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
        Subject.objects.bulk_update(updates, [*SUBJECT_VALUE_FIELDS, "region", "department"], batch_size=500)
        if updates:
            for chunk in chunks(subject.pk for subject in updates):
                Subject.objects.filter(pk__in=chunk).update(version=models.F("version") + 1)
        self._move([subject for subject in updates if self._place_changed(subject.code)])
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

    @staticmethod
    def _move(moved: list[Subject]) -> None:
        """Subjects whose region or department changed moved today; earlier periods keep the old place."""
        if not moved:
            return
        today = timezone.localdate()
        current = {
            placement.subject_id: placement
            for placement in filter_in(
                SubjectPlacement.objects.filter(valid_to__isnull=True),
                "subject_id",
                [subject.pk for subject in moved],
            )
        }
        fresh = []
        for subject in moved:
            placement = current[subject.pk]
            if placement.valid_from is not None and placement.valid_from >= today:
                # Moved again the same day: the earlier move of today was a mistake, correct it.
                placement.region_id, placement.department_id = subject.region_id, subject.department_id
                placement.save(update_fields=["region", "department"])
                continue
            placement.valid_to = today
            placement.save(update_fields=["valid_to"])
            fresh.append(
                SubjectPlacement(
                    subject=subject,
                    region_id=subject.region_id,
                    department_id=subject.department_id,
                    valid_from=today,
                )
            )
        SubjectPlacement.objects.bulk_create(fresh, batch_size=BATCH)


class RecordStep(FileStep):
    """Events and disputes: rows keyed by ``ref`` that belong to a subject and carry a date."""

    fields: tuple[str, ...]
    date_field: str
    # Column key -> how its cells are read (a ``CellParser`` method), in the order of the file.
    kinds: dict[str, str]
    defaults: dict[str, str]  # for empty cells
    limited: tuple[str, ...]  # text columns whose length the model limits
    rule_fields: tuple[str, ...]  # the fields the model's cross-field rules judge together
    lookups = {"subject_code": "subject__code"}

    def subject_codes(self) -> set[str]:
        return self.importer.subject_codes

    @cached_property
    def existing(self) -> dict[str, dict]:
        """Ref -> the stored record, for every ref the file names (valid row or not), looked up once for
        the columns a file leaves out and for the plan."""
        stored = self.model.objects.values("id", "ref", "subject__code", *self.fields)
        return {row["ref"]: row for row in filter_in(stored, "ref", self.codes, key_of=itemgetter("ref"))}

    def stored_cells(self, columns: list[str]) -> dict[str, dict[str, str]]:
        lookups = [self.lookups.get(column, column) for column in columns]
        return {
            ref: {column: _as_cell(row[lookup]) for column, lookup in zip(columns, lookups, strict=True)}
            for ref, row in self.existing.items()
        }

    def plan(self) -> FileResult:
        self.changed: list[str] = []
        for ref, record in self.records.items():
            existing = self.existing.get(ref)
            if existing is None:
                self.result.created += 1
            elif existing["subject__code"] != record["subject_code"] or any(
                existing[name] != record[name] for name in self.fields
            ):
                self.result.updated += 1
                self.changed.append(ref)
            else:
                self.result.unchanged += 1
        return self.result

    def apply(self) -> None:
        subjects = {
            code: (pk, path)
            for code, pk, path in filter_in(
                Subject.objects.values_list("code", "id", "region__path"),
                "code",
                {record["subject_code"] for record in self.records.values()},
                key_of=itemgetter(0),
            )
        }
        subject_ids = {code: pk for code, (pk, _path) in subjects.items()}
        self.region_paths = {code: path for code, (_pk, path) in subjects.items()}

        def build(record: dict, pk: int | None = None) -> models.Model:
            return self.model(
                pk=pk,
                ref=record["ref"],
                subject_id=subject_ids[record["subject_code"]],
                **{name: record[name] for name in self.fields},
            )

        now = timezone.now()
        columns = ["ref", "subject_id", *self.fields, "version", "created_at", "updated_at"]
        values = itemgetter(*self.fields)
        with bulk_load(self.model, self.result.created):
            fast_insert(
                self.model,
                columns,
                (
                    (ref, subject_ids[record["subject_code"]], *values(record), 1, now, now)
                    for ref, record in self.records.items()
                    if ref not in self.existing
                ),
            )
        updates = [build(self.records[ref], pk=self.existing[ref]["id"]) for ref in self.changed]
        self.model.objects.bulk_update(updates, ["subject", *self.fields], batch_size=500)
        if updates:
            for chunk in chunks(record.pk for record in updates):
                self.model.objects.filter(pk__in=chunk).update(version=models.F("version") + 1)
        years = self.importer.touched_years
        years.update(
            record[self.date_field].year
            for record in (self.records[ref] for ref in self.records if ref not in self.existing)
        )
        years.update(self.records[ref][self.date_field].year for ref in self.changed)
        years.update(self.existing[ref][self.date_field].year for ref in self.changed)

    def audit_entries(self) -> tuple[int, Iterable[Change]]:
        """Made as they are appended rather than queued: a province's file holds millions of records."""
        count = self.result.created + self.result.updated
        if not count:
            return 0, ()

        def entries() -> Iterator[Change]:
            for ref in self.written():
                record = self.records[ref]
                yield self.change(
                    ref, self.region_paths[record["subject_code"]], record, self.existing.get(ref)
                )

        return count, entries()

    def validate(self) -> None:
        """Column by column rather than row by row (and by hand rather than with full_clean): a province
        imports millions of events, and the cells of a column repeat, so each distinct cell is parsed
        once. Problems are reported as the row-by-row steps do: by row, first problem per cell."""
        if self.table is None:
            return
        refs = column_cells(self.table, "ref")
        problems: dict[int, dict[str, str]] = defaultdict(dict)
        columns = self._parsed_columns(refs, problems)
        for key, default in self.defaults.items():
            columns[key] = [value or default for value in columns[key]]

        subject_codes = self.subject_codes()
        if set(columns["subject_code"]) - subject_codes - {""}:
            for index, code in enumerate(columns["subject_code"]):
                if code and code not in subject_codes:
                    message = _("Unknown subject code “%(code)s”.") % {"code": code}
                    problems[index].setdefault("subject_code", message)
        for key in self.limited:
            limit = self.model._meta.get_field(key).max_length
            if max(map(len, columns[key]), default=0) > limit:
                message = _("Too long: at most %(limit)s characters.") % {"limit": limit}
                for index, value in enumerate(columns[key]):
                    if len(value) > limit:
                        problems[index].setdefault(key, message)
        combinations = list(zip(*(columns[name] for name in self.rule_fields), strict=True))
        judged = {
            combination: self.rules(**dict(zip(self.rule_fields, combination, strict=True)))
            for combination in set(combinations)
        }
        if any(judged.values()):
            for index, combination in enumerate(combinations):
                for field_name, message in judged[combination].items():
                    problems[index].setdefault(field_name, message)

        duplicates = self._duplicates(refs)
        self._report(problems, duplicates)
        # One dict per row, built by C loops (map and zip) rather than a Python loop over millions.
        records = map(dict, map(zip, repeat(list(self.kinds)), zip(*columns.values(), strict=True)))
        if not problems and not duplicates:
            self.records.update(zip(columns["ref"], records, strict=True))
            return
        for index, record in enumerate(records):
            if index not in problems and index not in duplicates:
                self.records[record["ref"]] = record

    def _parsed_columns(self, refs: list[str], problems: dict[int, dict[str, str]]) -> dict[str, list]:
        """Column key -> the parsed value of every row. A column the file leaves out keeps the stored
        value of an existing record (and the default of a new one), so a partial file never wipes data."""
        absent = [key for key in self.kinds if key not in self.table.columns]
        stored = self.stored_cells(absent) if absent else {}
        cells = CellParser(self.table, self.importer.today)
        columns = {}
        for key, kind in self.kinds.items():
            if key not in absent:
                texts = column_cells(self.table, key)
            elif stored:
                texts = [stored[ref][key] if ref in stored else "" for ref in refs]
            else:
                texts = [""] * len(refs)
            if kind == "text" and self._plainly_valid(key, texts):
                columns[key] = texts  # names, codes and titles rarely repeat: don't parse them one by one
                continue
            parse = cells.text if kind == "text" else partial(cells.typed, kind)
            parsed = {text: parse(key, text) for text in set(texts)}
            columns[key] = list(map(itemgetter(0), map(parsed.__getitem__, texts)))
            if any(problem for _value, problem in parsed.values()):
                for index, text in enumerate(texts):
                    if problem := parsed[text][1]:
                        problems[index].setdefault(key, problem)
        return columns

    def _plainly_valid(self, key: str, texts: list[str]) -> bool:
        """Whether no cell of a text column can fail ``CellParser.text``, checked in one pass."""
        if "" in texts and self.spec.column(key).required:
            return False
        return not CONTROL_CHARACTERS.search("\n".join(texts))  # \n itself is not a control character here

    @staticmethod
    def _duplicates(refs: list[str]) -> dict[int, int]:
        """Row index -> index of the earlier row with the same ref."""
        if len(set(refs)) == len(refs):
            return {}
        first: dict[str, int] = {}
        duplicates = {}
        for index, ref in enumerate(refs):
            if ref in first:
                duplicates[index] = first[ref]
            elif ref:
                first[ref] = index
        return duplicates

    def _report(self, problems: dict[int, dict[str, str]], duplicates: dict[int, int]) -> None:
        """Turn the problems into RowErrors, in row order; a duplicate row reports only that."""
        numbers = [number for number, _row in self.table.rows]
        for index in sorted(problems.keys() | duplicates.keys()):
            if index in duplicates:
                message = _("“%(code)s” already appears in row %(row)s of this file.") % {
                    "code": self.table.rows[index][1].get("ref", ""),
                    "row": numbers[duplicates[index]],
                }
                found = {"ref": message}
            else:
                found = problems[index]
            for key, message in found.items():
                title = self.spec.column(key).title if key else ""
                self.importer.errors.append(RowError(self.table.name, numbers[index], title, str(message)))


class EventsStep(RecordStep):
    spec = EVENTS
    model = Event
    fields = EVENT_FIELDS
    date_field = "occurred_on"
    kinds = {
        "ref": "text",
        "type": "choice",
        "subject_code": "text",
        "occurred_on": "past_date",
        "title": "text",
        "petition_level": "choice",
        "higher_authority_required": "flag",
        "collective": "flag",
        "accident_grade": "choice",
        "deaths": "count",
        "injuries": "count",
        "status": "choice",
    }
    defaults = {"status": "reported"}
    limited = ("ref", "title")
    rule_fields = EVENT_RULE_FIELDS

    @staticmethod
    def rules(**values) -> dict[str, str]:
        # Without a known type there is nothing to check the other fields against.
        return event_rule_errors(**values) if values["type"] else {}


class DisputesStep(RecordStep):
    spec = DISPUTES
    model = Dispute
    fields = DISPUTE_FIELDS
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
    }
    defaults = {"status": "open"}
    limited = ("ref", "category", "summary")
    rule_fields = ("status", "resolved_level", "resolved_on", "reported_on")
    rules = staticmethod(dispute_rule_errors)


class BundleImporter:
    """Runs the steps of every file in dependency order, sharing what later files need to know."""

    step_classes: list[type[FileStep]] = [
        RegionsStep,
        DepartmentsStep,
        SubjectsStep,
        EventsStep,
        DisputesStep,
    ]

    def __init__(self, tables: dict[str, Table], *, note: str = ""):
        self.errors: list[RowError] = []
        self.note = note  # names the import in the audit trail
        self.today = timezone.localdate()
        self.region_levels: dict[str, str] = {}
        self.department_codes: set[str] = set()
        self.subject_codes: set[str] = set()
        # What the import changed, to rebuild just the rollups it affects.
        self.everything_changed = False
        self.touched_years: set[int] = set()
        self.steps = [step_class(self, tables.get(step_class.spec.key)) for step_class in self.step_classes]
        self.record_tables = [tables[key] for key in ("events", "disputes") if key in tables]

    def validate(self) -> None:
        for step in self.steps:
            step.validate()

    def plan(self) -> dict[str, FileResult]:
        return {step.spec.key: step.plan() for step in self.steps if step.table is not None}

    def apply(self) -> None:
        self.write()
        self.refresh_rollups()
        self.audit()  # last, as every audited write: see sanling.audit.services

    def audit(self) -> int:
        """Append the audit entries of everything the import wrote, file by file."""
        counts, entries = zip(*(step.audit_entries() for step in self.steps), strict=True)
        return audit_changes(chain.from_iterable(entries), count=sum(counts))

    def write(self) -> None:
        for step in self.steps:
            if step.table is not None:
                step.apply()
        loaded = [step for step in self.steps if step.result.created + step.result.updated >= BULK_LOAD]
        analyze(*(model for step in loaded for model in step.bulk_models()))

    def refresh_rollups(self) -> None:
        """Rebuild the rollups of the years the import touched (every assessed year if subjects changed)."""
        years = set(self.touched_years)
        if self.everything_changed:
            years |= set(AssessedYear.objects.values_list("year", flat=True))
        if years:
            assessment_recompute(years=years)
