"""Exporting the data as a bundle in the same format the importer reads, so export -> import round-trips."""

import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from sanling.departments.models import Department
from sanling.disputes.models import DISPUTE_FIELDS, Dispute
from sanling.events.models import EVENT_FIELDS, Event
from sanling.regions.models import Region
from sanling.subjects.models import PLACE_FIELDS, SUBJECT_FIELDS, Subject

from .schema import DEPARTMENTS, DISPUTES, EVENTS, REGIONS, SUBJECTS, FileSpec
from .values import as_cell


def region_rows() -> Iterator[list[str]]:
    # Ordered by path, so every parent comes before its children.
    for code, name, level, parent_code in Region.objects.order_by("path").values_list(
        "code", "name", "level", "parent__code"
    ):
        yield [code, name, level, parent_code or ""]


def department_rows() -> Iterator[list[str]]:
    yield from (list(row) for row in Department.objects.order_by("code").values_list("code", "name"))


def subject_rows() -> Iterator[list[str]]:
    fields = [f"{name}__code" if name in PLACE_FIELDS else name for name in SUBJECT_FIELDS]
    for row in Subject.objects.order_by("code").values_list(*fields).iterator(chunk_size=2000):
        yield [as_cell(value) for value in row]


def _record_rows(model, fields: list[str]) -> Iterator[list[str]]:
    for row in model.objects.order_by("ref").values_list(*fields).iterator(chunk_size=5000):
        yield [as_cell(value) for value in row]


def event_rows() -> Iterator[list[str]]:
    return _record_rows(Event, ["ref", "type", "subject__code", *EVENT_FIELDS[1:]])


def dispute_rows() -> Iterator[list[str]]:
    return _record_rows(Dispute, ["ref", "subject__code", *DISPUTE_FIELDS])


EXPORTS: list[tuple[FileSpec, Callable[[], Iterator[list[str]]]]] = [
    (REGIONS, region_rows),
    (DEPARTMENTS, department_rows),
    (SUBJECTS, subject_rows),
    (EVENTS, event_rows),
    (DISPUTES, dispute_rows),
]


def _header(spec: FileSpec, chinese: bool) -> list[str]:
    return [column.chinese if chinese else column.key for column in spec.columns]


def _csv_bytes(header: list[str], rows: Iterable[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    # The BOM lets Excel on Windows open the file as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def bundle_export(path: str | Path, *, chinese_headers: bool = False) -> dict[str, int]:
    """Write every file of the bundle to ``path`` (a folder, a ``.zip`` or an ``.xlsx``); return row counts."""
    path = Path(path)
    counts: dict[str, int] = {}
    tables = []
    for spec, rows in EXPORTS:
        data = list(rows())
        counts[spec.key] = len(data)
        tables.append((spec, _header(spec, chinese_headers), data))
    if path.suffix.lower() == ".xlsx":
        _write_workbook(path, tables)
    elif path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for spec, header, data in tables:
                archive.writestr(spec.filename, _csv_bytes(header, data))
    else:
        path.mkdir(parents=True, exist_ok=True)
        for spec, header, data in tables:
            (path / spec.filename).write_bytes(_csv_bytes(header, data))
    return counts


def _write_workbook(path: Path, tables: list[tuple[FileSpec, list[str], list[list[str]]]]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    for spec, header, data in tables:
        sheet = workbook.create_sheet(spec.key)
        sheet.append(header)
        for row in data:
            sheet.append([_text_cell(WriteOnlyCell(sheet), value) for value in row])
    workbook.save(path)


def _text_cell(cell, value: str):
    # Every cell is text: long codes must not become numbers, and "=…" must not become a formula.
    cell.value = value
    cell.data_type = "s"
    return cell
