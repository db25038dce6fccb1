"""Subject screens: the filtered list, its Excel export, a subject's page, the search behind forms, and
adding, editing, moving and retiring a subject (through the subject services, in the user's scope)."""

from operator import attrgetter

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _lazy

from sanling.accounts.scope import get_object_for_user, request_scope
from sanling.assessment.periods import parse_assessable
from sanling.assessment.selectors import assessable_years, default_period
from sanling.audit.services import audit_export, audit_note
from sanling.core.record_views import record_create, record_edit
from sanling.core.workbooks import export_mark
from sanling.jobs.services import job_start
from sanling.personal.access import may_unmask
from sanling.personal.fields import exported_fields, masked, personal_columns
from sanling.personal.forms import UnmaskForm
from sanling.personal.services import personal_unmask, personal_unmask_export
from sanling.regions.selectors import REGION_SEARCH_LIMIT, region_matches

from .exports import subjects_workbook
from .filters import SubjectFilter
from .forms import SUBJECT_LEVELS, SubjectCreateForm, SubjectEditForm, SubjectMoveForm, SubjectRetireForm
from .models import Subject
from .selectors import subject_open_cases, subject_year_status
from .services import subject_create, subject_move, subject_retire, subject_update


def _filtered(request: HttpRequest) -> SubjectFilter:
    queryset = request_scope(request).subjects().select_related("region", "department").order_by("code")
    return SubjectFilter(
        request.GET or None, queryset=queryset, scope=request_scope(request), default_period=default_period()
    )


def _refusals(filterset: SubjectFilter) -> list[str]:
    """Why filters could not be applied (an unknown period or region…), as "label：reason" lines."""
    if not filterset.is_bound or filterset.form.is_valid():
        return []
    form = filterset.form
    return [
        f"{form.fields[name].label if name in form.fields else ''}：{message}"
        for name, messages in form.errors.items()
        for message in messages
    ]


@login_required
def subject_list(request: HttpRequest) -> HttpResponse:
    """The filtered list. It names the filters it applied (and the period, saying when it is the default);
    a filter it cannot apply is a 400 with the reason, and no rows."""
    filterset = _filtered(request)
    refusals = _refusals(filterset)
    rows = filterset.queryset.none() if refusals else filterset.qs
    rows = rows.defer(*personal_columns(Subject))  # the list shows no contact data: nothing to decrypt
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "subjects/subject_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "period": filterset.chosen_period,
            "applied": [] if refusals else filterset.applied(),
            "refusals": refusals,
        },
        status=400 if refusals else 200,
    )


@login_required
def subject_export(request: HttpRequest) -> HttpResponse:
    """Exactly the rows the list shows for the same filters, as an Excel workbook, with each subject's
    达标情况 and the reasons for the list's period."""
    filterset = _filtered(request)
    if refusals := _refusals(filterset):
        return HttpResponse("\n".join(refusals), content_type="text/plain; charset=utf-8", status=400)
    scope = request_scope(request)
    count = filterset.qs.count()
    region_path = scope.region.path if scope.region else ""
    # Masked for everyone; in clear only for a user who may unmask and says why (``?reason=``), audited
    # as one read of all the rows.
    reason = request.GET.get("reason", "").strip()
    full_contact = bool(reason) and may_unmask(scope)
    if full_contact:
        try:
            personal_unmask_export(
                user=request.user,
                model=filterset.qs.model,
                count=count,
                reason=reason,
                region_path=region_path,
                what=audit_note("Excel export of %(count)s subjects", count=count),
            )
        except ValidationError as error:
            return HttpResponse(
                " ".join(error.messages), content_type="text/plain; charset=utf-8", status=400
            )
    mark = export_mark(scope=scope, what=f"创建主体（{count} 个，{filterset.chosen_period.label}）")
    workbook = subjects_workbook(
        filterset.qs, full_contact=full_contact, period=filterset.chosen_period, mark=mark
    )
    # Every export is audited with what it held: contact names and phones, in clear or masked.
    audit_export(
        what="subjects",
        region_path=region_path,
        rows={"subjects": count},
        file_format="xlsx",
        personal_fields=exported_fields("subject", clear=full_contact),
        filters=filterset.audited_query(),
        mark=mark.as_dict(),
    )
    response = HttpResponse(
        workbook, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="subjects-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


@login_required
def subject_export_job(request: HttpRequest) -> HttpResponse:
    """The same export as a background job (a long list): its page shows the progress and the file."""
    if request.method != "POST":
        return redirect("subjects:list")
    job = job_start(
        "export", request.user, export="subjects", params={"query": request.POST.get("query", "")}
    )
    return redirect("jobs:detail", pk=job.pk)


def _detail_year(request: HttpRequest, subject) -> tuple[int, str]:
    """The year of the month table: ``?period=`` (any period: its year) or ``?year=``, else the landing
    period's; a period that is malformed, before the earliest year or not begun falls back, saying why."""
    text = (request.GET.get("period") or request.GET.get("year") or "").strip()
    if not text:
        return default_period().year, ""
    try:
        return parse_assessable(text, today=timezone.localdate()).year, ""
    except ValidationError as error:
        return default_period().year, error.messages[0]


def _detail(request: HttpRequest, subject, *, unmask_form=None, contact: dict | None = None, status=200):
    """The subject page. Its contact name and phone are masked unless ``contact`` holds what the user just
    unmasked (with a reason, audited); a user who may unmask gets the small form that asks why."""
    year, refused = _detail_year(request, subject)
    response = render(
        request,
        "subjects/subject_detail.html",
        {
            "subject": subject,
            "status": subject_year_status(subject=subject, year=year),
            "contact_name": contact["contact_name"] if contact else masked(subject, "contact_name"),
            "phone": contact["contact_phone"] if contact else masked(subject, "contact_phone"),
            "unmasked": contact is not None,
            "may_unmask": may_unmask(request_scope(request))
            and bool(subject.contact_name or subject.contact_phone),
            "unmask_form": unmask_form or UnmaskForm(),
            "events": subject.events.order_by("-occurred_on")[:50],
            "disputes": subject.disputes.order_by("-reported_on")[:50],
            "open_cases": subject_open_cases(subject),
            "today": timezone.localdate(),
            "placements": subject.placements.select_related("region", "department").order_by("valid_to"),
            "year": year,
            "years": [option for option in assessable_years() if option >= subject.joined_on.year] or [year],
            "refused": refused,
        },
        status=status,
    )
    add_never_cache_headers(response)  # personal data, masked or not, stays out of caches
    return response


@login_required
def subject_detail(request: HttpRequest, pk: int) -> HttpResponse:
    subject = get_object_for_user(
        request_scope(request).subjects().select_related("region", "department"), pk=pk
    )
    return _detail(request, subject)


@login_required
def subject_unmask(request: HttpRequest, pk: int) -> HttpResponse:
    """The subject page with its contact in clear, for a user who may unmask and gives a reason (audited
    by ``personal_unmask``). Answered in place, never redirected: the clear values are in no URL."""
    subject = get_object_for_user(
        request_scope(request).subjects().select_related("region", "department"), pk=pk
    )
    if request.method != "POST":
        return redirect("subjects:detail", pk=subject.pk)
    form = UnmaskForm(request.POST)
    if not form.is_valid():
        return _detail(request, subject, unmask_form=form, status=400)
    try:
        contact = personal_unmask(
            user=request.user,
            instance=subject,
            fields=["contact_name", "contact_phone"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        form.add_error("reason", error.message_dict.get("reason", error.messages))
        return _detail(request, subject, unmask_form=form, status=400)
    return _detail(request, subject, contact=contact)


@login_required
def subject_search(request: HttpRequest) -> HttpResponse:
    """``<option>``s for the subject box of the report form, as the user types."""
    text = request.GET.get("subject_code", "").strip() or request.GET.get("q", "").strip()
    subjects = request_scope(request).subjects().order_by("code")
    if text:
        subjects = subjects.filter(name__icontains=text) | subjects.filter(code__icontains=text)
    return render(request, "subjects/subject_options.html", {"subjects": subjects[:30]})


NOUN = _lazy("Subject")


def _subject_page(subject) -> str:
    return reverse("subjects:detail", kwargs={"pk": subject.pk})


def _screen(request: HttpRequest) -> dict:
    """What the subject forms share: the user (for the scoped choices), where a save leads, and the code
    that names a subject in the message."""
    return {"form_kwargs": {"user": request.user}, "done": _subject_page, "name_of": attrgetter("code")}


@login_required
def subject_new(request: HttpRequest) -> HttpResponse:
    return record_create(
        request,
        form_class=SubjectCreateForm,
        create=lambda **fields: subject_create(**fields),
        template="subjects/subject_form.html",
        date_field="joined_on",
        noun=NOUN,
        **_screen(request),
    )


@login_required
def subject_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return record_edit(
        request,
        pk=pk,
        records=request_scope(request).subjects().select_related("region", "department"),
        form_class=SubjectEditForm,
        update=lambda subject, version, **changes: subject_update(
            subject=subject, version=version, **changes
        ),
        template="subjects/subject_form.html",
        noun=NOUN,
        **_screen(request),
    )


@login_required
def subject_relocate(request: HttpRequest, pk: int) -> HttpResponse:
    """A move to another region or department as of a date (迁移), not a correction of the past."""
    return record_edit(
        request,
        pk=pk,
        records=request_scope(request).subjects().select_related("region", "department"),
        form_class=SubjectMoveForm,
        update=lambda subject, version, **place: subject_move(subject=subject, version=version, **place),
        template="subjects/subject_move.html",
        noun=NOUN,
        **_screen(request),
    )


@login_required
def subject_end(request: HttpRequest, pk: int) -> HttpResponse:
    """退出: the subject counts in no period after the date."""
    return record_edit(
        request,
        pk=pk,
        records=request_scope(request).subjects().select_related("region", "department"),
        form_class=SubjectRetireForm,
        update=lambda subject, version, retired_on: subject_retire(
            subject=subject, version=version, retired_on=retired_on
        ),
        template="subjects/subject_retire.html",
        noun=NOUN,
        **_screen(request),
    )


@login_required
def region_search(request: HttpRequest) -> HttpResponse:
    """``<option>``s for the region box of the subject forms: towns, villages and grids of the user's area
    whose name or code matches what they typed (at most 30, so a province never sends thousands)."""
    text = (request.GET.get("q") or request.GET.get("region") or "").strip()
    regions = request_scope(request).regions().filter(level__in=SUBJECT_LEVELS).select_related("parent")
    regions = region_matches(regions, text) if text else regions.order_by("path")
    return render(request, "subjects/region_options.html", {"regions": regions[:REGION_SEARCH_LIMIT]})
