"""Pages of reports: the list (reports of the reader's area, those sent to them, the form that asks for
one), a report's page (status, download, sending and the read receipts), the scope-checked download, and
the 播报 as a web page (the same outline as the Word and PDF files)."""

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sanling.accounts.scope import get_object_for_user, request_scope
from sanling.assessment.periods import parse_assessable
from sanling.assessment.selectors import default_period
from sanling.documents.builder import Heading, PageBreak, Paragraph, Picture, Table
from sanling.regions.models import Region

from .content import KIND_PERIODS, report_content
from .forms import DistributeForm, ReportRequestForm
from .models import Report, ReportKind, ReportStatus
from .selectors import receipts, report_path, reports_for, reports_sent_to
from .services import can_send, report_distribute, report_read, report_request


def _errors(error: ValidationError) -> list[str]:
    return (
        [message for messages_ in error.message_dict.values() for message in messages_]
        if hasattr(error, "error_dict")
        else error.messages
    )


@login_required
def index(request: HttpRequest) -> HttpResponse:
    scope = request_scope(request)
    form = ReportRequestForm(scope=scope, initial={"period": str(timezone.localdate().year - 1)})
    return _index(request, form)


def _index(request: HttpRequest, form: ReportRequestForm, status: int = 200) -> HttpResponse:
    scope = request_scope(request)
    return render(
        request,
        "reports/index.html",
        {
            "form": form,
            "can_generate": scope.can_supervise and (scope.everything or scope.region is not None),
            "reports": reports_for(scope)[:100],
            "sent_to_me": reports_sent_to(request.user)[:100],
        },
        status=status,
    )


@login_required
@require_POST
def report_new(request: HttpRequest) -> HttpResponse:
    """Ask for a report: a row and a background job; the report's page follows the job."""
    scope = request_scope(request)
    form = ReportRequestForm(request.POST, scope=scope)
    if not form.is_valid():
        return _index(request, form, status=400)
    region = Region.objects.filter(code=form.cleaned_data["region"]).first()
    try:
        report = report_request(
            user=request.user,
            kind=form.cleaned_data["kind"],
            region=region,
            period=form.cleaned_data["period"],
            fmt=form.cleaned_data["format"],
            scope=scope,
        )
    except ValidationError as error:
        for message in _errors(error):
            form.add_error(None, message)
        return _index(request, form, status=400 if scope.can_supervise else 403)
    messages.success(request, _("The report is being generated; this page shows when it is ready."))
    return redirect("reports:detail", pk=report.pk)


def _report(request: HttpRequest, pk: int) -> Report:
    return get_object_for_user(reports_for(request_scope(request)), pk=pk)


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A report: its status (and its job), the download, and — for who may send it — the recipients with
    who has read it. Opening it is reading it: a recipient's receipt is recorded here."""
    report = _report(request, pk)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])  # sending has its own URL; nothing else is posted here
    report_read(report=report, user=request.user)
    scope = request_scope(request)
    sender = can_send(report, scope)
    rows = receipts(report) if sender else []
    return render(
        request,
        "reports/detail.html",
        {
            "report": report,
            "sender": sender,
            "receipts": rows,
            "read": sum(1 for row in rows if row.read_at),
            "form": DistributeForm() if sender and report.status == ReportStatus.READY else None,
            "job": report.job if report.job and report.job.owner_id == request.user.pk else None,
        },
    )


@login_required
def report_file(request: HttpRequest, pk: int) -> FileResponse:
    """The report's file, to whoever may open the report (404 for everyone else); a receipt for a recipient."""
    report = _report(request, pk)
    path = report_path(report)
    if path is None or report.status != ReportStatus.READY:
        raise Http404
    report_read(report=report, user=request.user)
    return FileResponse(path.open("rb"), as_attachment=True, filename=report.file_name)


@login_required
def report_distribute_view(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    scope = request_scope(request)
    if not can_send(report, scope):
        return HttpResponse(_("Only those who supervise the report's region send it."), status=403)
    if request.method != "POST":
        return redirect("reports:detail", pk=report.pk)
    form = DistributeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose at least one group of recipients."))
        return redirect("reports:detail", pk=report.pk)
    try:
        made = report_distribute(
            report=report, sender=request.user, scope=scope, audiences=form.cleaned_data["audiences"]
        )
    except ValidationError as error:
        for message in _errors(error):
            messages.error(request, message)
        return redirect("reports:detail", pk=report.pk)
    messages.success(request, _("Sent to %(count)s new recipients.") % {"count": len(made)})
    return redirect("reports:detail", pk=report.pk)


# -- the 播报 as a page ------------------------------------------------------------------------------------


def blocks_for_page(document) -> list[dict]:
    """The document's blocks as the template draws them (a picture as a data: URL: the CSP allows it)."""
    shown = []
    for block in document.blocks:
        if isinstance(block, Heading):
            shown.append({"kind": "heading", "text": block.text, "level": block.level})
        elif isinstance(block, Paragraph):
            shown.append({"kind": "paragraph", "text": block.text, "bold": block.bold})
        elif isinstance(block, Table):
            shown.append({"kind": "table", "header": block.header, "rows": block.rows})
        elif isinstance(block, Picture):
            data = base64.b64encode(block.png).decode()
            shown.append(
                {"kind": "picture", "src": f"data:image/png;base64,{data}", "caption": block.caption}
            )
        elif isinstance(block, PageBreak):
            continue
    return shown


@login_required
def bulletin(request: HttpRequest) -> HttpResponse:
    """The 三零播报 (or 小结, 分析) of a region and period as a page: ?region=CODE&period=P&kind=bulletin."""
    scope = request_scope(request)
    region_user = scope.sees_business_data and (scope.everything or scope.region is not None)
    context = {"kind": request.GET.get("kind", ReportKind.BULLETIN), "kinds": ReportKind.choices, "error": ""}
    if not region_user:
        context["error"] = _(
            "The bulletin shows a whole region; department accounts read the reports sent to them."
        )
        return render(request, "reports/bulletin.html", context)
    code = request.GET.get("region", "").strip()
    region = Region.objects.filter(code=code).first() if code else scope.home
    text = request.GET.get("period", "").strip() or default_period().key
    context.update(region_code=region.code if region else code, period_text=text)
    status = 200
    if region is None:
        context["error"], status = _("Unknown region code “%(code)s”.") % {"code": code}, 404
    elif not scope.covers_region(region):
        context["error"], status = (
            _("%(region)s is outside your area; you cannot read its bulletin.") % {"region": region.name},
            403,
        )
    elif context["kind"] not in ReportKind.values:
        context["error"], status = (
            _("There is no report of the kind “%(kind)s”.") % {"kind": context["kind"]},
            400,
        )
    else:
        try:
            period = parse_assessable(text, today=timezone.localdate())
        except ValidationError as error:
            context["error"], status = error.messages[0], 400
        else:
            if period.kind not in KIND_PERIODS[context["kind"]]:
                context["error"], status = (
                    _("A monthly summary is for a month and a quarterly analysis for a quarter."),
                    400,
                )
            else:
                content = report_content(kind=context["kind"], region=region, period=period)
                document = content.document()
                context.update(
                    content=content,
                    document=document,
                    blocks=blocks_for_page(document),
                    headlines=content.headlines,
                )
    return render(request, "reports/bulletin.html", context, status=status)
