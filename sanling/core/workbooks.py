"""Writing rows of an Excel export: every text cell stays text."""

from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet


def text_row(sheet: WriteOnlyWorksheet, values: list) -> list:
    """``values`` as cells of ``sheet``'s next row. Text is written as text, so a name such as
    ``=HYPERLINK(…)`` typed into a form never becomes a formula in the reader's Excel, and a code such as
    ``0012`` never becomes a number; numbers and dates keep their type."""
    return [text_cell(sheet, value) if isinstance(value, str) else value for value in values]


def text_cell(sheet: WriteOnlyWorksheet, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell
