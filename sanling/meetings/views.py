"""Pages of meetings: the list with the communities that missed their monthly meeting flagged, the record
form (attendance by category, problems), a meeting's page where a problem can open a case."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from sanling.accounts.scope import get_object_for_user, request_scope
from sanling.assessment.periods import Period
from sanling.core.concurrency import StaleVersion
from sanling.patrols.views import apply_errors, writer_scope

from .figures import meeting_figures
from .forms import AdoptionForm, AttendeeForm, MeetingForm, ProblemCaseForm, ProblemForm
from .models import MeetingAdoption, MeetingKindRule, ParticipantCategory
from .selectors import communities_missing, kind_labels, meetings_for
from .services import (
    meeting_adoption_create,
    meeting_attendee_add,
    meeting_create,
    meeting_problem_add,
    meeting_problem_open,
    meeting_update,
)

MEETING_LEVELS = ("town", "village")


def _period(request: HttpRequest) -> tuple[Period, str]:
    """The period asked for, else the current year (its ended months are the ones that can be missing)."""
    today = timezone.localdate()
    text = request.GET.get("period", "").strip()
    if text:
        try:
            return Period.parse(text), ""
        except ValidationError as error:
            return Period.of_year(today.year), error.messages[0]
    return Period.of_year(today.year), ""


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    """Meetings of the reader's area in a period, and each community-month a monthly meeting was missed."""
    scope = request_scope(request)
    period, period_error = _period(request)
    labels = kind_labels()
    meetings = meetings_for(scope).filter(held_on__range=(period.start, period.end))
    kind = request.GET.get("kind", "")
    if kind:
        meetings = meetings.filter(kind=kind)
    page = Paginator(meetings, 50).get_page(request.GET.get("page"))
    for meeting in page:
        meeting.kind_label = labels.get(meeting.kind, meeting.kind)
    home = scope.home if scope.sees_business_data and (scope.region is not None or scope.everything) else None
    missing = communities_missing(home, period, scope=scope) if home else []
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "page": page,
            "period": period,
            "period_error": period_error,
            "kinds": labels,
            "kind": kind,
            "missing": [(row, labels.get(row.kind, row.kind)) for row in missing],
            "figures": meeting_figures(region=home, period=period, scope=scope) if home else None,
        },
    )


def _regions(scope):
    return (
        scope.regions().filter(level__in=MEETING_LEVELS)
        if scope.sees_business_data
        else scope.regions().none()
    )


@login_required
def meeting_create_view(request: HttpRequest) -> HttpResponse:
    """Record a meeting: who attended by category, the minutes, the problems raised. A refused form keeps
    what was typed."""
    scope = writer_scope(request)
    regions = _regions(scope)
    form = MeetingForm(request.POST or None, regions=regions, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = meeting_create(**form.create_arguments(), scope=scope)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Meeting %(ref)s is recorded.") % {"ref": meeting.ref})
            return redirect("meetings:meeting", ref=meeting.ref)
    return render(
        request,
        "meetings/meeting_form.html",
        {"form": form, "meeting": None, "areas": regions.order_by("code")[:200]},
    )


def _posts(meeting):
    """The active grid posts of the meeting's community and its grids."""
    from sanling.grids.models import Post
    from sanling.regions.models import subtree_q

    return (
        Post.objects.filter(subtree_q(meeting.region.path, via="region__"), ended_on__isnull=True)
        .select_related("region")
        .order_by("region__code", "post_type", "pk")
    )


def _attendee_form(request: HttpRequest, meeting, data=None) -> AttendeeForm:
    return AttendeeForm(data, posts=_posts(meeting), subjects=request_scope(request).subjects())


def _detail(
    request: HttpRequest,
    meeting,
    problem_form,
    *,
    attendee_form=None,
    open_form=None,
    status: int = 200,
) -> HttpResponse:
    labels = dict(ParticipantCategory.choices)
    attendance = list(meeting.attendance.select_related("post", "subject"))
    for row in attendance:
        row.category_label = labels.get(row.category, row.category)
    scope = request_scope(request)
    problems = list(meeting.problems.select_related("dispute", "hazard").order_by("pk"))
    for problem in problems:
        problem.open_form = None
        if scope.can_write and problem.dispute_id is None and problem.hazard_id is None:
            if open_form is not None and open_form.problem_pk == problem.pk:
                problem.open_form = open_form
            else:
                problem.open_form = ProblemCaseForm(subjects=scope.subjects(), problem_pk=problem.pk)
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "kind_label": kind_labels().get(meeting.kind, meeting.kind),
            "attendance": attendance,
            "problems": problems,
            "problem_form": problem_form,
            "attendee_form": attendee_form or _attendee_form(request, meeting),
            "subjects": request_scope(request).subjects().order_by("code")[:30],
        },
        status=status,
    )


@login_required
def meeting_detail(request: HttpRequest, ref: str) -> HttpResponse:
    scope = request_scope(request)
    meeting = get_object_for_user(meetings_for(scope), ref=ref)
    return _detail(request, meeting, ProblemForm(subjects=scope.subjects()))


@login_required
def meeting_edit(request: HttpRequest, ref: str) -> HttpResponse:
    scope = request_scope(request)
    meeting = get_object_for_user(meetings_for(scope), ref=ref)
    writer_scope(request)
    form = MeetingForm(request.POST or None, regions=_regions(scope), meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            meeting_update(
                meeting=meeting,
                version=form.cleaned_data.get("version") or 0,
                scope=scope,
                **form.update_arguments(),
            )
        except StaleVersion as stale:
            form.add_error(None, str(stale))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Meeting %(ref)s is saved.") % {"ref": meeting.ref})
            return redirect("meetings:meeting", ref=meeting.ref)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": meeting, "areas": []})


@login_required
def problem_add(request: HttpRequest, ref: str) -> HttpResponse:
    """Add a problem raised at a meeting; it may open a dispute case or a hazard."""
    scope = request_scope(request)
    meeting = get_object_for_user(meetings_for(scope), ref=ref)
    writer_scope(request)
    form = ProblemForm(request.POST or None, subjects=scope.subjects())
    if request.method == "POST" and form.is_valid():
        try:
            meeting_problem_add(meeting=meeting, problem=form.problem(), scope=scope)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The problem is recorded."))
            return redirect("meetings:meeting", ref=meeting.ref)
    return _detail(request, meeting, form, status=400 if request.method == "POST" else 200)


@login_required
def problem_open(request: HttpRequest, ref: str, pk: int) -> HttpResponse:
    """Open the case of a problem recorded without one (with the meeting, or added later)."""
    scope = request_scope(request)
    meeting = get_object_for_user(meetings_for(scope), ref=ref)
    problem = get_object_or_404(meeting.problems.all(), pk=pk)
    writer_scope(request)
    if request.method != "POST":
        return redirect("meetings:meeting", ref=meeting.ref)
    form = ProblemCaseForm(request.POST, subjects=scope.subjects(), problem_pk=problem.pk)
    if form.is_valid():
        try:
            problem = meeting_problem_open(problem=problem, scope=scope, **form.case_arguments())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            opened = problem.hazard or problem.dispute
            messages.success(request, _("Case %(ref)s is opened from the problem.") % {"ref": opened.ref})
            return redirect("meetings:meeting", ref=meeting.ref)
    return _detail(request, meeting, ProblemForm(subjects=scope.subjects()), open_form=form, status=400)


@login_required
def adoptions(request: HttpRequest) -> HttpResponse:
    """The rule of each kind (how often, who must attend) and which communities of the reader's area hold
    which kind since when; a writer adds a community's adoption here."""
    scope = request_scope(request)
    labels = kind_labels()
    categories = dict(ParticipantCategory.choices)
    rules = [
        (
            labels.get(rule.kind, rule.kind),
            rule,
            "、".join(str(categories.get(code, code)) for code in rule.participant_categories),
        )
        for rule in MeetingKindRule.objects.order_by("kind")
    ]
    rows = (
        MeetingAdoption.objects.filter(scope.region_q())
        .select_related("region")
        .order_by("region__code", "kind")
    )
    writes = scope.records_places
    villages = scope.regions().filter(level="village") if writes else scope.regions().none()
    form = AdoptionForm(request.POST or None, regions=villages) if writes else None
    status = 200
    if request.method == "POST":
        writer_scope(request)
        if form.is_valid():
            try:
                meeting_adoption_create(**form.cleaned_data, scope=scope)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The community now holds this kind of meeting."))
                return redirect("meetings:adoptions")
        status = 400
    return render(
        request,
        "meetings/adoptions.html",
        {
            "rules": rules,
            "adoptions": [(row, labels.get(row.kind, row.kind)) for row in rows],
            "form": form,
            "areas": villages.order_by("code")[:200],
        },
        status=status,
    )


@login_required
def attendee_add(request: HttpRequest, ref: str) -> HttpResponse:
    """Add someone to the attendance: by category, with the post they hold or the subject they came for."""
    scope = request_scope(request)
    meeting = get_object_for_user(meetings_for(scope), ref=ref)
    writer_scope(request)
    form = _attendee_form(request, meeting, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting_attendee_add(meeting=meeting, attendee=form.attendee(), scope=scope)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The attendee is recorded."))
            return redirect("meetings:meeting", ref=meeting.ref)
    return _detail(
        request,
        meeting,
        ProblemForm(subjects=scope.subjects()),
        attendee_form=form,
        status=400 if request.method == "POST" else 200,
    )
