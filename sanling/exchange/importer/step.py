"""What every file's step shares: reading its rows, comparing them with what is stored, auditing."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from sanling.audit.models import Action
from sanling.audit.services import Change
from sanling.core.queries import filter_in
from sanling.core.validators import ref_problem

from ..reader import Table
from ..schema import FileSpec
from ..values import as_cell
from .cells import CellParser, RowReader, column_values

if TYPE_CHECKING:
    from .bundle import BundleImporter

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


@dataclass
class FileResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def audited(record: dict) -> dict:
    """``record`` under the field names of the audit trail (``AUDITED_NAMES``), renamed in C: an import
    audits every row it writes."""
    return dict(zip(map(AUDITED_NAMES.get, record, record), record.values(), strict=True))


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
        return {row[0]: dict(zip(columns, map(as_cell, row[1:]), strict=True)) for row in rows}

    def rows(self) -> Iterable[RowReader]:
        """The rows of the file, duplicates reported. A column the file leaves out keeps the stored value
        of an existing record (and its default for a new one), so a partial file never wipes data."""
        seen: dict[str, int] = {}
        absent = [
            column.key for column in self.spec.columns if self.table and column.key not in self.table.columns
        ]
        stored = self.stored_cells(absent) if absent else {}
        cells = CellParser(self.table, self.importer.today) if self.table else None
        advance = self.importer.progress.advance
        for number, row in self.table.rows if self.table else []:
            advance()
            reader = RowReader(self.table, number, row, self.importer.errors, cells)
            key = row.get(self.spec.columns[0].key, "")
            if key in stored:
                row.update(stored[key])
            if problem := ref_problem(key):
                reader.error(self.spec.columns[0].key, problem)
                continue
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
