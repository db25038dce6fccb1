"""Writes of reports: asking for one (a row and a background job), generating its file, sending it to its
recipients and recording that a recipient read it.

A report is asked for by someone who supervises (``Scope.can_supervise``) a region in their own subtree;
a region outside it, a period that is not the kind's (a 月度小结 is a month, a 季度分析 a quarter) or has
not begun, or another format is refused in Chinese and nothing is written.
"""

import datetime
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanling.accounts.scope import Scope
from sanling.assessment.periods import Period, parse_assessable
from sanling.audit.models import Action
from sanling.audit.services import audit_change
from sanling.documents import FORMATS, render
from sanling.regions.models import Region

from .content import KIND_PERIODS, report_document
from .models import Audience, Distribution, Report, ReportKind, ReportStatus
from .selectors import audience_users, report_path


def reports_dir() -> Path:
    """Where report files are kept: ``SANLING_VAR_DIR/reports`` (outside the web root)."""
    return Path(getattr(settings, "REPORTS_DIR", None) or settings.VAR_DIR / "reports")


def check_request(
    *,
    scope: Scope | None,
    kind: str,
    region: Region | None,
    period: str,
    fmt: str,
    today: datetime.date | None = None,
) -> Period:
    """The period of a report ``scope`` may ask for; a ValidationError in Chinese (by field) otherwise."""
    today = today or timezone.localdate()
    errors = {}
    if kind not in ReportKind.values:
        errors["kind"] = _(
            "There is no report of the kind “%(kind)s”; choose bulletin, monthly or quarterly."
        ) % {"kind": kind}
    if fmt not in FORMATS:
        errors["format"] = _("Reports are made as Word (docx) or PDF (pdf), not “%(format)s”.") % {
            "format": fmt
        }
    if region is None:
        errors["region"] = _("Choose a region.")
    elif scope is not None and not scope.everything:
        if not scope.can_supervise:
            errors["region"] = _("Only the county's and towns' operators generate and send reports.")
        elif scope.region is None or not region.path.startswith(scope.region.path):
            errors["region"] = _("%(region)s is outside your area; you cannot generate its report.") % {
                "region": region.name
            }
    parsed = None
    try:
        parsed = parse_assessable(period, today=today)
    except ValidationError as error:
        errors["period"] = error.messages[0]
    if parsed is not None and kind in KIND_PERIODS and parsed.kind not in KIND_PERIODS[kind]:
        errors["period"] = (
            _("A monthly summary is for a month, such as 2025-03.")
            if kind == ReportKind.MONTHLY
            else _("A quarterly analysis is for a quarter, such as 2025Q1.")
        )
    if errors:
        raise ValidationError(errors)
    return parsed


def report_file_bytes(
    *, kind: str, region: Region, period: Period, fmt: str, today: datetime.date | None = None
) -> bytes:
    """The file of a report (the CLI writes it where it is told; a job keeps it in the reports folder)."""
    return render(report_document(kind=kind, region=region, period=period, today=today), fmt)


@transaction.atomic
def report_create(*, user, kind: str, region: Region, period: str, fmt: str, scope: Scope | None) -> Report:
    """A report asked for by ``user`` (queued: ``report_generate`` or its job writes the file)."""
    parsed = check_request(scope=scope, kind=kind, region=region, period=period, fmt=fmt)
    report = Report.objects.create(
        kind=kind,
        region=region,
        period=parsed.key,
        format=fmt,
        requested_by=user,
        message=_("Waiting for its turn."),
    )
    audit_change(Action.CREATE, after=report)
    return report


def report_request(*, user, kind: str, region: Region, period: str, fmt: str, scope: Scope) -> Report:
    """Ask for a report and start the background job that generates it (``report.job`` has its status)."""
    from sanling.jobs.services import job_start

    report = report_create(user=user, kind=kind, region=region, period=period, fmt=fmt, scope=scope)
    job = job_start("report", user, report=report.pk)
    Report.objects.filter(pk=report.pk).update(job=job)
    report.refresh_from_db()
    return report


def report_generate(report: Report, *, today: datetime.date | None = None, document=None) -> Report:
    """Write ``report``'s file and mark it ready; on any failure mark it failed (no file is kept) and raise.
    ``document``: the outline already built for the same kind, region and period (the demo writes one
    outline as Word and as PDF)."""
    folder = reports_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        period = Period.parse(report.period)
        if document is None:
            document = report_document(kind=report.kind, region=report.region, period=period, today=today)
        data = render(document, report.format)
    except Exception as error:
        message = (
            " ".join(error.messages)
            if isinstance(error, ValidationError)
            else _("The report could not be generated.")
        )
        Report.objects.filter(pk=report.pk).update(status=ReportStatus.FAILED, message=message[:500])
        raise
    name = f"{report.pk}-{secrets.token_hex(12)}.{report.format}"
    path = folder / name
    path.write_bytes(data)
    path.chmod(0o600)
    old = report_path(report)
    report.file, report.size, report.title = name, len(data), document.title
    report.status, report.generated_at = ReportStatus.READY, timezone.now()
    report.message = _("Generated.")
    report.save(update_fields=["file", "size", "title", "status", "generated_at", "message"])
    if old is not None and old != path:
        old.unlink(missing_ok=True)
    return report


def can_send(report: Report, scope: Scope) -> bool:
    """Who may send a report: one who supervises and whose own area holds the report's region."""
    if scope.everything:
        return True
    return bool(
        scope.can_supervise and scope.region is not None and report.region.path.startswith(scope.region.path)
    )


@transaction.atomic
def report_distribute(
    *, report: Report, sender, scope: Scope | None, audiences: list[str] = (), users: list = ()
) -> list[Distribution]:
    """Send ``report`` to every user of the chosen ``audiences`` and to ``users``; a recipient already sent
    it is not sent it again. Returns the new rows."""
    if scope is not None and not can_send(report, scope):
        raise ValidationError(_("Only those who supervise the report's region send it."))
    if report.status != ReportStatus.READY:
        raise ValidationError(_("The report is not generated yet; send it once it is ready."))
    unknown = [
        audience
        for audience in audiences
        if audience not in (Audience.LEADERS, Audience.DEPARTMENTS, Audience.TOWNS)
    ]
    if unknown:
        raise ValidationError(
            {
                "audiences": _("Unknown recipients “%(names)s”; choose leaders, departments or towns.")
                % {"names": "、".join(unknown)}
            }
        )
    chosen: dict[int, tuple[object, str]] = {}
    for audience in audiences:
        for user in audience_users(report.region, audience):
            chosen.setdefault(user.pk, (user, audience))
    User = get_user_model()
    for user in users:
        if not isinstance(user, User) or not user.is_active:
            raise ValidationError({"users": _("Recipients must be active accounts.")})
        chosen.setdefault(user.pk, (user, Audience.OTHER))
    if not chosen:
        raise ValidationError(_("Choose at least one group of recipients or one person."))
    already = set(Distribution.objects.filter(report=report).values_list("recipient_id", flat=True))
    now = timezone.now()
    made = []
    for pk, (user, audience) in sorted(chosen.items()):
        if pk in already:
            continue
        row = Distribution.objects.create(
            report=report, recipient=user, audience=audience, sent_by=sender, sent_at=now
        )
        audit_change(Action.CREATE, after=row, verb="report.sent")
        made.append(row)
    return made


def report_read(*, report: Report, user) -> bool:
    """Record that ``user`` read ``report`` (opened its page or downloaded it), once: the first time counts.
    Returns whether this was the first time."""
    if not user.is_authenticated:
        return False
    return bool(
        Distribution.objects.filter(report=report, recipient=user, read_at__isnull=True).update(
            read_at=timezone.now()
        )
    )
