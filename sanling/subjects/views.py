"""Subject screens: the filtered list, its Excel export, a subject's page, the search behind forms, and
adding, editing, moving and retiring a subject (through the subject services, in the user's scope)."""

from operator import attrgetter

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy

from sanling.accounts.scope import get_object_for_user, request_scope
from sanling.assessment.periods import parse_assessable
from sanling.assessment.selectors import assessable_years, default_period
from sanling.audit.services import audit_export, audit_note, audit_read
from sanling.core.record_views import record_create, record_edit
from sanling.core.workbooks import export_mark
from sanling.regions.selectors import REGION_SEARCH_LIMIT, region_matches

from .exports import subjects_workbook
from .filters import SubjectFilter
from .forms import SUBJECT_LEVELS, SubjectCreateForm, SubjectEditForm, SubjectMoveForm, SubjectRetireForm
from .selectors import mask_phone, subject_year_status
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
    if scope.can_administer:  # the workbook carries full phone numbers: personal data read in bulk
        audit_read(
            object_type="subject",
            object_key="export",
            region_path=region_path,
            note=audit_note("Excel export of %(count)s subjects", count=count),
        )
    mark = export_mark(scope=scope, what=f"创建主体（{count} 个，{filterset.chosen_period.label}）")
    workbook = subjects_workbook(
        filterset.qs, full_phone=scope.can_administer, period=filterset.chosen_period, mark=mark
    )
    # Every export is audited with what it held: contact names, and phones (masked unless administering).
    audit_export(
        what="subjects",
        region_path=region_path,
        rows={"subjects": count},
        file_format="xlsx",
        personal_fields=("contact_name", "contact_phone" if scope.can_administer else "contact_phone_masked"),
        filters=request.GET.urlencode(),
        mark=mark.as_dict(),
    )
    response = HttpResponse(
        workbook, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="subjects-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


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


@login_required
def subject_detail(request: HttpRequest, pk: int) -> HttpResponse:
    subject = get_object_for_user(
        request_scope(request).subjects().select_related("region", "department"), pk=pk
    )
    year, refused = _detail_year(request, subject)
    return render(
        request,
        "subjects/subject_detail.html",
        {
            "subject": subject,
            "status": subject_year_status(subject=subject, year=year),
            "phone": mask_phone(subject.contact_phone),
            "events": subject.events.order_by("-occurred_on")[:50],
            "disputes": subject.disputes.order_by("-reported_on")[:50],
            "placements": subject.placements.select_related("region", "department").order_by("valid_to"),
            "year": year,
            "years": [option for option in assessable_years() if option >= subject.joined_on.year] or [year],
            "refused": refused,
        },
    )


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
