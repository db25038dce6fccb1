"""Subject screens: the filtered list, its Excel export, a subject's page, and the search behind forms."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from sanling.accounts.scope import get_object_for_user, request_scope, subjects_for
from sanling.audit.services import audit_note, audit_read
from sanling.dashboard.selectors import default_period

from .exports import subjects_workbook
from .filters import SubjectFilter
from .selectors import mask_phone, subject_year_status


def _filtered(request: HttpRequest) -> SubjectFilter:
    queryset = subjects_for(request.user).select_related("region", "department").order_by("code")
    return SubjectFilter(
        request.GET or None, queryset=queryset, user=request.user, default_period=default_period()
    )


@login_required
def subject_list(request: HttpRequest) -> HttpResponse:
    filterset = _filtered(request)
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "subjects/subject_list.html",
        {"filter": filterset, "page": page, "query": query.urlencode(), "period": filterset.chosen_period},
    )


@login_required
def subject_export(request: HttpRequest) -> HttpResponse:
    """Exactly the rows the list shows for the same filters, as an Excel workbook."""
    filterset = _filtered(request)
    scope = request_scope(request)
    if scope.can_administer:  # the workbook carries full phone numbers: personal data read in bulk
        audit_read(
            object_type="subject",
            object_key="export",
            region_path=scope.region.path if scope.region else "",
            note=audit_note("Excel export of %(count)s subjects", count=filterset.qs.count()),
        )
    response = HttpResponse(
        subjects_workbook(filterset.qs, full_phone=scope.can_administer),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="subjects-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


@login_required
def subject_detail(request: HttpRequest, pk: int) -> HttpResponse:
    subject = get_object_for_user(subjects_for(request.user).select_related("region", "department"), pk=pk)
    year = int(request.GET.get("year") or default_period().year)
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
            "years": range(timezone.localdate().year, subject.joined_on.year - 1, -1),
        },
    )


@login_required
def subject_search(request: HttpRequest) -> HttpResponse:
    """``<option>``s for the subject box of the report form, as the user types."""
    text = request.GET.get("subject_code", "").strip() or request.GET.get("q", "").strip()
    subjects = subjects_for(request.user).order_by("code")
    if text:
        subjects = subjects.filter(name__icontains=text) | subjects.filter(code__icontains=text)
    return render(request, "subjects/subject_options.html", {"subjects": subjects[:30]})
