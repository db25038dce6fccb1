"""Reading a bundle (folder of CSV files, .zip of it, or one .xlsx workbook) into plain rows."""

import csv
import datetime
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from sanling.core.workbooks import csv_untext

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
        sources = _read_zip(path)
        tables = _read_csv_sources(sources, errors)
    elif path.suffix.lower() == ".xlsx":
        _check_zip(path, xlsx=True).close()
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


ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a local file header, or the end record of an empty archive
# The members every workbook Excel, WPS or LibreOffice writes holds.
XLSX_MEMBERS = ("[Content_Types].xml", "xl/workbook.xml")
_CHUNK = 1024 * 1024


def _refusal(path: Path, message: str) -> BundleInvalid:
    return BundleInvalid([RowError(path.name, 0, "", message)])


def _unsafe_name(name: str) -> bool:
    """A member name that could point outside the folder it is unpacked in: absolute, with a drive, with a
    backslash, or with a ".." step."""
    return (
        name.startswith("/")
        or "\\" in name
        or re.match(r"^[A-Za-z]:", name) is not None
        or ".." in name.split("/")
        or "\x00" in name
    )


def _check_zip(path: Path, *, xlsx: bool = False) -> zipfile.ZipFile:
    """Open ``path`` as a zip archive (an .xlsx is one too) after checking, from its directory and before
    inflating anything, that it is one (its magic number, not its name), that it has at most
    ``UPLOAD_MAX_MEMBERS`` members, none named like a path out of the folder, none larger than
    ``UPLOAD_MAX_MEMBER_BYTES`` and together no larger than ``UPLOAD_MAX_UNPACKED_BYTES``; a workbook must
    hold the members of one. The sizes a directory states may lie: ``_read_member`` enforces them again
    while reading."""
    what = (
        _("The file is not a valid .xlsx workbook.") if xlsx else _("The file is not a valid .zip archive.")
    )
    with path.open("rb") as file:
        if file.read(4) not in ZIP_MAGIC:
            raise _refusal(path, what)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _refusal(path, what) from None
    try:
        members = archive.infolist()
        if len(members) > settings.UPLOAD_MAX_MEMBERS:
            raise _refusal(
                path,
                _("The archive holds %(count)s files; at most %(limit)s are accepted.")
                % {"count": len(members), "limit": settings.UPLOAD_MAX_MEMBERS},
            )
        for info in members:
            if _unsafe_name(info.filename):
                raise _refusal(
                    path,
                    _("The archive holds a file named “%(name)s”, which points outside the bundle.")
                    % {"name": info.filename[:100]},
                )
            if info.file_size > settings.UPLOAD_MAX_MEMBER_BYTES:
                raise _refusal(path, _too_large(info.filename, settings.UPLOAD_MAX_MEMBER_BYTES))
        if sum(info.file_size for info in members) > settings.UPLOAD_MAX_UNPACKED_BYTES:
            raise _refusal(path, _too_large(path.name, settings.UPLOAD_MAX_UNPACKED_BYTES))
        if xlsx and not all(name in archive.NameToInfo for name in XLSX_MEMBERS):
            raise _refusal(path, what)
    except BundleInvalid:
        archive.close()
        raise
    return archive


def _too_large(name: str, limit: int) -> str:
    return _("“%(name)s” unpacks to more than %(size)s MB, the most accepted.") % {
        "name": name[:100],
        "size": f"{limit / 1024 / 1024:g}",
    }


def _read_zip(path: Path) -> list[tuple[str, bytes]]:
    """The CSV members of the zip at ``path``, each read within the limits of ``_check_zip``."""
    with _check_zip(path) as archive:
        budget = [settings.UPLOAD_MAX_UNPACKED_BYTES]
        try:
            return [
                (_zip_name(info), _read_member(archive, info, budget))
                for info in sorted(archive.infolist(), key=lambda info: info.filename)
                if info.filename.lower().endswith(".csv") and not info.filename.startswith("__MACOSX")
            ]
        except BundleInvalid:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError):
            # A damaged, encrypted or oddly compressed member.
            raise _refusal(path, _("The file is not a valid .zip archive.")) from None


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: list[int]) -> bytes:
    """The inflated bytes of one member, read in chunks and stopped as soon as they pass the per-member
    limit or what is left of the archive's total (``budget``), whatever its header says."""
    limit = min(settings.UPLOAD_MAX_MEMBER_BYTES, budget[0])
    parts, size = [], 0
    with archive.open(info) as member:
        while chunk := member.read(_CHUNK):
            size += len(chunk)
            if size > limit:
                raise _refusal(Path(archive.filename or ""), _too_large(info.filename, limit))
            parts.append(chunk)
    budget[0] -= size
    return b"".join(parts)


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
            untext=True,
        )
    return tables


def _csv_records(text: str, name: str, errors: list[RowError]) -> list[tuple[int, list[str]]] | None:
    """The file's records numbered as a spreadsheet shows them, or None (and a row error) if the CSV is
    malformed (a field longer than the csv module's limit, 128 KB)."""
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
    untext: bool = False,
) -> None:
    """Add the file's rows to ``tables`` under the columns its header names. ``untext``: the cells are
    CSV, whose text may carry the apostrophe the exporter puts before a formula character
    (``csv_untext``)."""
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
        if untext:
            for key, cell in row.items():
                if cell[:1] == "'":
                    row[key] = csv_untext(cell)
        table.rows.append((number, row))
    tables[spec.key] = table


def _header_text(cell: str) -> str:
    # Accept "code", "Code", "代码", and the exported "代码（code）" or "代码(code)" forms.
    text = cell.strip().lstrip("\ufeff")
    match = re.match(r"^(.+?)[（(](.+)[)）]$", text)
    if match:
        text = match.group(2).strip()
    return text.lower() if text.isascii() else text
