"""The score table as the page shows it, as rows (header first) for the page, the Excel export and the API."""

import io

from openpyxl import Workbook

from sanling.core.workbooks import export_mark, mark_workbook, text_row

from .indicators import REGISTRY
from .models import IndicatorSet
from .selectors import ScoreRow, format_raw


def table_header(indicator_set: IndicatorSet) -> list[str]:
    from django.utils.translation import gettext as _

    header = [_("Rank"), _("Code"), _("Name")]
    for indicator in indicator_set.indicators.all():
        label = str(REGISTRY[indicator.key].label)
        header += [
            _("%(indicator)s (value)") % {"indicator": label},
            _("%(indicator)s (points of %(weight)s)") % {"indicator": label, "weight": indicator.weight},
        ]
    return [*header, _("Total")]


def table_row(row: ScoreRow) -> list[str]:
    cells = [str(row.rank), row.code, row.name]
    for cell in row.cells:
        cells += [format_raw(cell.key, cell.raw), str(cell.points)]
    return [*cells, str(row.total)]


def scores_workbook(
    *, indicator_set: IndicatorSet, rows: list[ScoreRow], scope, title: str
) -> tuple[bytes, dict]:
    """(the .xlsx of exactly ``rows`` as the page shows them, the export's watermark as a dict)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append(text_row(sheet, table_header(indicator_set)))
    for row in rows:
        sheet.append(text_row(sheet, table_row(row)))
    mark = export_mark(scope=scope, what=f"{title}（{len(rows)} 行）")
    mark_workbook(workbook, mark)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), mark.as_dict()
