"""Reading a bundle (folder of CSV files, .zip of it, or one .xlsx workbook) into plain rows."""

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from .schema import FILES, FileSpec, spec_for_name

KNOWN_FILES = "、".join(spec.filename for spec in FILES)


@dataclass(frozen=True)
class RowError:
    """One problem with the bundle: where it is (file, row, column) and why, in the user's language."""

    file: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = _("%(file)s row %(row)s") % {"file": self.file, "row": self.row}
        return f"{where} {self.column}：{self.message}" if self.column else f"{where}：{self.message}"


@dataclass
class Table:
    """The rows of one file, keyed by column key, each with the row number a spreadsheet would show.
    ``columns`` are the keys the header named: a missing optional column leaves stored values alone."""

    spec: FileSpec
    name: str
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    columns: set[str] = field(default_factory=set)


class BundleInvalid(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__("\n".join(str(error) for error in errors))
        self.errors = errors


def read_bundle(path: str | Path) -> dict[str, Table]:
    """Read every known file of the bundle at ``path``; raise BundleInvalid listing all format problems."""
    path = Path(path)
    errors: list[RowError] = []
    if path.is_dir():
        sources = [
            (item.name, item.read_bytes()) for item in sorted(path.iterdir()) if item.suffix.lower() == ".csv"
        ]
        tables = _read_csv_sources(sources, errors)
    elif path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as archive:
                sources = [
                    (_zip_name(info), archive.read(info))
                    for info in sorted(archive.infolist(), key=lambda info: info.filename)
                    if info.filename.lower().endswith(".csv") and not info.filename.startswith("__MACOSX")
                ]
        except zipfile.BadZipFile:
            raise BundleInvalid(
                [RowError(path.name, 0, "", _("The file is not a valid .zip archive."))]
            ) from None
        tables = _read_csv_sources(sources, errors)
    elif path.suffix.lower() == ".xlsx":
        tables = _read_workbook(path, errors)
    elif path.suffix.lower() == ".csv":
        tables = _read_csv_sources([(path.name, path.read_bytes())], errors)
    else:
        raise BundleInvalid(
            [
                RowError(
                    path.name,
                    0,
                    "",
                    _("A bundle is a folder of CSV files, a .zip of them or an .xlsx workbook."),
                )
            ]
        )
    if not tables and not errors:
        errors.append(
            RowError(
                path.name,
                0,
                "",
                _("The bundle holds none of the known files (regions, departments, subjects…)."),
            )
        )
    if errors:
        raise BundleInvalid(errors)
    return tables


def _zip_name(info: zipfile.ZipInfo) -> str:
    """The entry's name; Windows' "compressed folder" writes Chinese names in GBK without saying so."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for encoding in ("utf-8", "gbk"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def _read_csv_sources(sources: list[tuple[str, bytes]], errors: list[RowError]) -> dict[str, Table]:
    tables: dict[str, Table] = {}
    for name, data in sources:
        spec = spec_for_name(name)
        short_name = name.rsplit("/", 1)[-1]
        if spec is None:
            errors.append(
                RowError(
                    short_name, 0, "", _("Unknown file: a bundle holds %(names)s.") % {"names": KNOWN_FILES}
                )
            )
            continue
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            errors.append(
                RowError(
                    short_name,
                    line,
                    "",
                    _("The file is not UTF-8 encoded; save it as “CSV UTF-8” and try again."),
                )
            )
            continue
        records = _csv_records(text, short_name, errors)
        if records is None:
            continue
        _add_table(
            tables,
            spec,
            short_name,
            records,
            errors,
        )
    return tables


def _csv_records(text: str, name: str, errors: list[RowError]) -> list[tuple[int, list[str]]] | None:
    """The file's records numbered as a spreadsheet shows them, or None (and a row error) if the CSV is
    malformed: a field longer than the csv module's limit (128 KB), or a NUL character."""
    reader = csv.reader(io.StringIO(text, newline=""))
    records = []
    try:
        for number, record in enumerate(reader, start=1):
            records.append((number, record))
    except csv.Error:
        errors.append(
            RowError(
                name,
                len(records) + 1,
                "",
                _(
                    "This row cannot be read: a field is longer than %(limit)s characters or the CSV is damaged."
                )
                % {"limit": csv.field_size_limit()},
            )
        )
        return None
    return records


def _read_workbook(path: Path, errors: list[RowError]) -> dict[str, Table]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise BundleInvalid(
            [RowError(path.name, 0, "", _("The file is not a valid .xlsx workbook."))]
        ) from None
    tables: dict[str, Table] = {}
    try:
        for sheet in workbook.worksheets:
            spec = spec_for_name(sheet.title)
            if spec is None:
                continue
            records = [
                (number, [_cell_text(value) for value in values])
                for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
            ]
            _add_table(tables, spec, sheet.title, records, errors)
    finally:
        workbook.close()
    return tables


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        # Codes typed into Excel become numbers: 410000000000.0 is the code "410000000000".
        return str(int(value))
    return str(value)


def _add_table(
    tables: dict[str, Table],
    spec: FileSpec,
    name: str,
    records: list[tuple[int, list[str]]],
    errors: list[RowError],
) -> None:
    if spec.key in tables:
        errors.append(RowError(name, 0, "", _("The bundle holds this file twice.")))
        return
    records = [(number, record) for number, record in records if any(cell.strip() for cell in record)]
    if not records:
        errors.append(RowError(name, 1, "", _("The file is empty: it needs at least its header row.")))
        return
    header_number, header = records[0]
    by_header = {column.key.lower(): column.key for column in spec.columns}
    by_header.update({column.chinese: column.key for column in spec.columns})
    keys = [by_header.get(_header_text(cell)) for cell in header]
    present = set(filter(None, keys))
    for key in sorted(present):
        if keys.count(key) > 1:
            cells = "、".join(cell for cell, cell_key in zip(header, keys, strict=False) if cell_key == key)
            errors.append(
                RowError(
                    name,
                    header_number,
                    spec.column(key).title,
                    _("The header names this column twice (%(cells)s).") % {"cells": cells},
                )
            )
            return
    for column in spec.columns:
        if column.required and column.key not in present:
            errors.append(RowError(name, header_number, column.title, _("The required column is missing.")))
    table = Table(spec, name, columns=present)
    for number, record in records[1:]:
        row = {key: cell.strip() for key, cell in zip(keys, record, strict=False) if key}
        table.rows.append((number, row))
    tables[spec.key] = table


def _header_text(cell: str) -> str:
    # Accept "code", "Code", "代码", and the exported "代码（code）" or "代码(code)" forms.
    text = cell.strip().lstrip("\ufeff")
    match = re.match(r"^(.+?)[（(](.+)[)）]$", text)
    if match:
        text = match.group(2).strip()
    return text.lower() if text.isascii() else text
