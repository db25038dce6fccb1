"""The subject list as an Excel workbook (the ledger a town sends up)."""

import io

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook

from sanling.assessment.periods import Period
from sanling.core.progress import Progress, ProgressCallback
from sanling.core.workbooks import ExportMark, mark_workbook, text_row
from sanling.personal.fields import masked

from .selectors import breaking_events, compliance_cells

HEADER = [
    "编码",
    "名称",
    "类型",
    "类别",
    "属地",
    "属地代码",
    "主管部门",
    "统一社会信用代码",
    "负责人",
    "联系电话",
    "纳入创建日期",
    "退出日期",
]


def subjects_workbook(
    subjects: QuerySet,
    *,
    full_contact: bool,
    period: Period,
    mark: ExportMark | None = None,
    progress: ProgressCallback | None = None,
) -> bytes:
    """The subjects, and whether each was 达标 in ``period`` with the events that broke a zero, watermarked
    with ``mark``. Contact names and phones are masked unless ``full_contact`` (the caller unmasked them
    through ``personal.services.personal_unmask_export``). ``progress`` is told every few thousand rows."""
    counter = Progress(progress)
    if progress is not None:
        counter.start(subjects.count(), _("Writing subjects"))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("创建主体")
    sheet.append(
        text_row(
            sheet,
            [
                *HEADER,
                _("%(compliance)s (%(period)s)") % {"compliance": _("Compliance"), "period": period.label},
                _("Reasons not compliant"),
            ],
        )
    )
    breaking = breaking_events(subjects, period)
    for subject in counter.counted(subjects.select_related("region", "department").iterator(chunk_size=2000)):
        sheet.append(
            text_row(
                sheet,
                [
                    subject.code,
                    subject.name,
                    subject.get_kind_display(),
                    subject.get_category_display(),
                    subject.region.name,
                    subject.region.code,
                    subject.department.name if subject.department else "",
                    subject.uscc,
                    subject.contact_name if full_contact else masked(subject, "contact_name"),
                    subject.contact_phone if full_contact else masked(subject, "contact_phone"),
                    subject.joined_on.isoformat(),
                    subject.retired_on.isoformat() if subject.retired_on else "",
                    *compliance_cells(subject, period, breaking.get(subject.pk, {})),
                ],
            )
        )
    if mark is not None:
        mark_workbook(workbook, mark)
    counter.finish()
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
