"""The monthly review as a document for the meeting (Word or PDF through ``sanling.documents``): the ranking
of the towns (or villages) and of the departments with their frozen figures and the county office's notes."""

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from sanling.assessment.periods import Period
from sanling.documents import Document

from .models import ItemKind, MonthlyReview, ReviewItem


def percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}%"


def points(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"+{value}" if value > 0 else str(value)


def item_row(item: ReviewItem) -> list[str]:
    """One line of the ranking, as the page and the document show it."""
    return [
        "—" if item.rank is None else str(item.rank),
        item.name,
        f"{item.compliant}/{item.active}",
        percent(item.rate),
        points(item.change),
        str(item.overdue),
        str(item.backlog),
        f"{item.warnings_red}/{item.warnings_orange}",
        f"{item.assignments_done}/{item.assignments_total}",
        item.note,
    ]


def item_header(kind: str) -> list[str]:
    return [
        _("Rank"),
        _("Town or village") if kind == ItemKind.REGION else _("Department"),
        _("Compliant/active"),
        _("Compliance rate"),
        _("Change on last month (points)"),
        _("Overdue work"),
        _("Backlog cases open"),
        _("Red/orange warnings"),
        _("Assignments done/given"),
        _("Note"),
    ]


def review_document(review: MonthlyReview) -> Document:
    period = Period.parse(review.month)
    status = _("final") if review.is_final else _("draft")
    document = Document(
        title=_("%(region)s monthly review of %(month)s")
        % {"region": review.region.name, "month": review.month},
        subtitle=_("Figures as of %(day)s (%(status)s), printed %(now)s")
        % {
            "day": review.figures_on.isoformat(),
            "status": status,
            "now": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        },
    )
    document.paragraph(
        _(
            "Ranked on the combined compliance rate (村社区 and 企事业) of %(start)s to %(end)s; the change is "
            "in points against the month before."
        )
        % {"start": period.start.isoformat(), "end": period.end.isoformat()}
    )
    items = list(review.items.all())
    for kind, title in (
        (ItemKind.REGION, _("Towns and villages")),
        (ItemKind.DEPARTMENT, _("Departments")),
    ):
        rows = [item_row(item) for item in items if item.kind == kind]
        document.heading(title)
        if rows:
            document.table(item_header(kind), rows, widths=[5, 14, 9, 9, 9, 7, 7, 8, 9, 23])
        else:
            document.paragraph(_("None."))
    return document
