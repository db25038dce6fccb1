"""Writing exports that cannot hurt whoever opens them, and that say who made them.

A cell whose text begins with a formula character (``=``, ``+``, ``-``, ``@``, tab, carriage return) is a
formula to Excel or WPS: ``=HYPERLINK(…)`` typed into a form would run in the reader's spreadsheet. So every
export writes text as text: in a workbook as a text cell (never a formula) marked with the quote prefix
Excel itself uses for ``'=…`` (editing the cell keeps it text); in a CSV file with a leading apostrophe
(``csv_text``), which the importer takes off again (``csv_untext``) so an export imports back exactly.
Numbers stay numbers: a negative number stored as a number is written as one.

Every export is also watermarked (``ExportMark``): who made it, when, over what scope and what it holds, in
the workbook's properties, on a visible sheet of its own and in the page header of every printed page.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from openpyxl.cell import WriteOnlyCell
from openpyxl.workbook import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# What ``csv_text`` prefixes: a formula character, or an apostrophe (so that one the text really begins
# with is not taken for ours on the way back).
_ESCAPED_START = (*FORMULA_START, "'")
MARK_SHEET = "导出说明"


def csv_text(value: str) -> str:
    """``value`` as a CSV cell: behind an apostrophe when it begins with a formula character or with an
    apostrophe, else as it is."""
    return "'" + value if value.startswith(_ESCAPED_START) else value


def csv_untext(text: str) -> str:
    """The value a CSV cell written by ``csv_text`` holds: exactly the apostrophe ``csv_text`` added is
    taken off (one, and only before a character it escapes); any other text is left alone."""
    if text[:1] == "'" and text[1:2] and text[1] in "=+-@\t\r'":
        return text[1:]
    return text


def csv_row(values: list) -> list:
    """``values`` as CSV cells: text through ``csv_text``, numbers as numbers, nothing as ""."""
    return [
        csv_text(value) if isinstance(value, str) else ("" if value is None else value) for value in values
    ]


def text_row(sheet: WriteOnlyWorksheet, values: list) -> list:
    """``values`` as cells of ``sheet``'s next row. Text is written as text, so a name such as
    ``=HYPERLINK(…)`` typed into a form never becomes a formula in the reader's Excel, and a code such as
    ``0012`` never becomes a number; numbers and dates keep their type."""
    return [text_cell(sheet, value) if isinstance(value, str) else value for value in values]


def text_cell(sheet: WriteOnlyWorksheet, value: str) -> WriteOnlyCell:
    """A text cell holding ``value``. openpyxl makes any string beginning with "=" a formula; the type is
    set back to text after, and such a cell carries the quote prefix so that editing it keeps it text."""
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    if value.startswith(FORMULA_START):
        cell.quotePrefix = True
    return cell


@dataclass(frozen=True)
class ExportMark:
    """The watermark of one export: who made it, when, over which scope, and what it holds."""

    who: str
    when: datetime.datetime
    scope: str
    what: str

    def lines(self) -> list[tuple[str, str]]:
        return [
            ("导出人", self.who),
            ("导出时间", timezone.localtime(self.when).strftime("%Y-%m-%d %H:%M:%S %Z")),
            ("数据范围", self.scope),
            ("内容", self.what),
            ("提示", "本文件含工作数据，仅限授权人员在职责范围内使用，不得外传。"),
        ]

    def text(self) -> str:
        return "；".join(f"{label}：{value}" for label, value in self.lines()[:4])

    def as_dict(self) -> dict[str, str]:
        return {
            "exported_by": self.who,
            "exported_at": self.when.isoformat(),
            "scope": self.scope,
            "content": self.what,
        }


def export_mark(*, scope, what: str) -> ExportMark:
    """The watermark of an export ``scope`` (an ``accounts.scope.Scope``) makes now, by the current actor
    (the signed-in user, or the operator of a command)."""
    from sanling.audit.context import current_actor

    actor = current_actor()
    return ExportMark(who=actor.name or "system", when=timezone.now(), scope=scope_label(scope), what=what)


def scope_label(scope) -> str:
    """A scope in words: "全部数据", "沙北街道（411103001000）及下级", a department, or both."""
    if scope.everything:
        return "全部数据"
    parts = []
    if scope.region is not None:
        parts.append(f"{scope.region.name}（{scope.region.code}）及下级")
    if scope.department is not None:
        parts.append(f"{scope.department.name}（{scope.department.code}）")
    return "，".join(parts) or "无"


def mark_workbook(workbook: Workbook, mark: ExportMark) -> None:
    """Watermark ``workbook`` (write-only, with its data sheets already created): its document properties,
    a page header on every data sheet, and a last sheet ``导出说明`` listing the mark. Readers of a bundle
    ignore that sheet (it names no file of the bundle)."""
    properties = workbook.properties
    properties.creator = mark.who
    properties.lastModifiedBy = mark.who
    properties.created = properties.modified = mark.when.astimezone(datetime.UTC).replace(tzinfo=None)
    properties.title = mark.what
    properties.subject = mark.scope
    properties.description = mark.text()
    properties.keywords = "sanling export"
    header = (
        f"导出人：{mark.who}  导出时间：{timezone.localtime(mark.when):%Y-%m-%d %H:%M}  范围：{mark.scope}"
    )
    for sheet in workbook.worksheets:
        sheet.oddHeader.center.text = header[:250]  # Excel keeps at most 255 characters of a header
    sheet = workbook.create_sheet(MARK_SHEET)
    for label, value in mark.lines():
        sheet.append(text_row(sheet, [label, value]))
