"""Pages of 督查 (mounted at /supervision/): visits and findings, recording a visit, the letters and each
letter's steps with its Word and PDF, and the county's ladder rules and letter templates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from sanling.accounts.scope import get_object_for_user, request_scope
from sanling.core.concurrency import StaleVersion
from sanling.documents import CONTENT_TYPES
from sanling.documents import render as render_document
from sanling.patrols.views import apply_errors
from sanling.regions.models import Level, Region

from .forms import (
    DeclineForm,
    IssueForm,
    PolicyForm,
    RespondForm,
    TemplateForm,
    VersionForm,
    VisitForm,
    finding_forms,
)
from .models import FindingPhoto, LetterKind, LetterStatus
from .selectors import LETTER_KINDS, findings_for, letters_for, overdue_q, visits_for
from .services import (
    TEMPLATE_FIELDS,
    addressee_for,
    county_of,
    is_recipient,
    letter_acknowledge,
    letter_decline,
    letter_document,
    letter_issue,
    letter_render,
    letter_respond,
    policy_for,
    policy_save,
    template_for,
    template_save,
    visit_create,
)

LETTER_FILTERS = ("proposed", "issued", "acknowledged", "overdue", "declined")


def _supervisor(request: HttpRequest):
    scope = request_scope(request)
    if not scope.can_supervise:
        raise PermissionDenied
    return scope


def _visiting_region(scope) -> Region | None:
    """Where a visit the user records comes from: their own region (a department's: its county)."""
    if scope.region is not None:
        return scope.region
    return scope.home


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Visits of the reader's area and the latest findings on subjects in their scope."""
    scope = request_scope(request)
    visits = (
        visits_for(scope)
        .select_related("region", "department", "organisation")
        .order_by("-visited_on", "-pk")
    )
    page = Paginator(visits, 30).get_page(request.GET.get("page"))
    findings = (
        findings_for(scope).select_related("subject", "visit", "letter").order_by("-found_on", "-pk")[:50]
    )
    return render(
        request,
        "supervision/index.html",
        {"page": page, "findings": findings, "may_record": scope.can_supervise},
    )


@login_required
def visit_create_view(request: HttpRequest) -> HttpResponse:
    """Record a visit with its findings (each proposes its letter). A refused form keeps what was typed (a
    chosen photo has to be chosen again: browsers never refill a file box)."""
    scope = _supervisor(request)
    subjects = scope.subjects()
    organisations = scope.reachable_organisations().filter(active=True).order_by("region__path", "code")
    data = request.POST if request.method == "POST" else None
    form = VisitForm(data, organisations=organisations, initial={"visited_on": timezone.localdate()})
    rows = finding_forms(data, request.FILES if data is not None else None, subjects=subjects)
    status = 200
    if request.method == "POST":
        status = 400
        valid = form.is_valid() & all([row.is_valid() for row in rows])
        findings = [row.finding() for row in rows if row.is_valid()]
        findings = [finding for finding in findings if finding is not None]
        if valid and not findings:
            form.add_error(None, _("Record at least one finding of the visit."))
        elif valid:
            region = _visiting_region(scope)
            try:
                visit = visit_create(
                    region=region,
                    findings=findings,
                    scope=scope,
                    user=request.user,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Visit %(ref)s is recorded; %(count)s letters are proposed.")
                    % {"ref": visit.ref, "count": len(findings)},
                )
                return redirect("supervision:visit", ref=visit.ref)
    return render(
        request,
        "supervision/visit_form.html",
        {"form": form, "rows": rows, "subjects": subjects.order_by("code")[:300]},
        status=status,
    )


@login_required
def visit_detail(request: HttpRequest, ref: str) -> HttpResponse:
    scope = request_scope(request)
    visit = get_object_for_user(
        visits_for(scope).select_related("region", "department", "organisation"), ref=ref
    )
    findings = (
        findings_for(scope)
        .filter(visit=visit)
        .select_related("subject", "letter")
        .prefetch_related("photos")
        .order_by("pk")
    )
    return render(request, "supervision/visit_detail.html", {"visit": visit, "findings": findings})


@login_required
def photo(request: HttpRequest, pk: int) -> HttpResponse:
    """A finding's photo, to a user whose scope holds the finding's subject (404 to anyone else)."""
    from sanling.work.views import attachment_response

    scope = request_scope(request)
    return attachment_response(
        get_object_for_user(FindingPhoto.objects.filter(scope.subject_q("finding__subject__")), pk=pk)
    )


@login_required
def letter_list(request: HttpRequest) -> HttpResponse:
    """Letters of the reader's area: proposed, issued, acknowledged, overdue, declined."""
    scope = request_scope(request)
    today = timezone.localdate()
    letters = letters_for(scope).select_related("subject", "sent_to").order_by("-proposed_on", "-pk")
    shown = request.GET.get("status", "")
    if shown == "overdue":
        letters = letters.filter(overdue_q(today))
    elif shown == "acknowledged":
        letters = letters.filter(acknowledged_at__isnull=False)
    elif shown == "issued":
        letters = letters.filter(status=LetterStatus.ISSUED)
    elif shown in ("proposed", "declined"):
        letters = letters.filter(status=shown)
    else:
        shown = ""
    page = Paginator(letters, 50).get_page(request.GET.get("page"))
    for letter in page:
        letter.overdue = letter.is_overdue(today)
    counts = {
        "proposed": letters_for(scope).filter(status=LetterStatus.PROPOSED).count(),
        "overdue": letters_for(scope).filter(overdue_q(today)).count(),
    }
    return render(
        request,
        "supervision/letter_list.html",
        {"page": page, "shown": shown, "filters": LETTER_FILTERS, "counts": counts},
    )


def _letter(request: HttpRequest, ref: str):
    scope = request_scope(request)
    return get_object_for_user(
        letters_for(scope).select_related("subject__region", "sent_to", "finding__visit", "decided_by"),
        ref=ref,
    )


def _organisations(scope, letter):
    """Where the issuer may send the letter: organisations they reach, and the subject's own addressee."""
    from django.db.models import Q

    from sanling.organisations.models import Organisation

    addressee = addressee_for(letter.subject)
    condition = Q(pk__in=scope.reachable_organisations().values("pk"))
    if addressee is not None:
        condition |= Q(pk=addressee.pk)
    return Organisation.objects.filter(condition, active=True).order_by("region__path", "code"), addressee


def _letter_page(
    request: HttpRequest,
    letter,
    *,
    issue_form=None,
    decline_form=None,
    respond_form=None,
    error="",
    status=200,
):
    scope = request_scope(request)
    today = timezone.localdate()
    may_decide = scope.can_supervise and letter.status == LetterStatus.PROPOSED
    may_answer = (
        letter.status == LetterStatus.ISSUED and scope.can_write and is_recipient(letter, request.user)
    )
    if may_decide and issue_form is None:
        organisations, addressee = _organisations(scope, letter)
        issue_form = IssueForm(
            organisations=organisations, initial={"version": letter.version, "sent_to": addressee}
        )
    try:
        title, body = letter_render(letter)
    except ValidationError as problem:
        title, body = letter.get_kind_display(), " ".join(problem.messages)
    return render(
        request,
        "supervision/letter_detail.html",
        {
            "letter": letter,
            "title": title,
            "body": body,
            "overdue": letter.is_overdue(today),
            "may_decide": may_decide,
            "may_answer": may_answer,
            "issue_form": issue_form,
            "decline_form": decline_form or DeclineForm(initial={"version": letter.version}),
            "respond_form": respond_form or RespondForm(initial={"version": letter.version}),
            "version_form": VersionForm(initial={"version": letter.version}),
            "error": error,
            "run": letter.subject.supervision_letters.filter(run_start=letter.run_start).order_by("ordinal"),
        },
        status=status,
    )


@login_required
def letter_detail(request: HttpRequest, ref: str) -> HttpResponse:
    return _letter_page(request, _letter(request, ref))


def _step(request: HttpRequest, ref: str, form_class, run, *, who, form_key: str, form_kwargs=None):
    letter = _letter(request, ref)
    if who == "supervisor":
        scope = _supervisor(request)
    else:
        scope = request_scope(request)
        if not (scope.can_write and is_recipient(letter, request.user)) and not scope.everything:
            raise PermissionDenied
    if request.method != "POST":
        return redirect("supervision:letter", ref=letter.ref)
    form = form_class(request.POST, **(form_kwargs(scope, letter) if form_kwargs else {}))
    if form.is_valid():
        try:
            with transaction.atomic():
                run(letter, scope, form.cleaned_data)
        except StaleVersion as stale:
            form.add_error(None, str(stale))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("supervision:letter", ref=letter.ref)
    letter.refresh_from_db()
    errors = " ".join(str(message) for messages_ in form.errors.values() for message in messages_)
    return _letter_page(request, letter, error=errors, status=400, **({form_key: form} if form_key else {}))


@login_required
def letter_issue_view(request: HttpRequest, ref: str) -> HttpResponse:
    def run(letter, scope, data):
        letter_issue(
            letter=letter,
            version=data.get("version"),
            sent_to=data["sent_to"],
            number=data.get("number", ""),
            scope=scope,
            user=request.user,
        )
        messages.success(request, _("The letter is issued."))

    return _step(
        request,
        ref,
        IssueForm,
        run,
        who="supervisor",
        form_key="issue_form",
        form_kwargs=lambda scope, letter: {"organisations": _organisations(scope, letter)[0]},
    )


@login_required
def letter_decline_view(request: HttpRequest, ref: str) -> HttpResponse:
    def run(letter, scope, data):
        letter_decline(
            letter=letter,
            version=data.get("version"),
            reason=data.get("reason", ""),
            scope=scope,
            user=request.user,
        )
        messages.success(request, _("The letter is not issued; the reason is kept."))

    return _step(request, ref, DeclineForm, run, who="supervisor", form_key="decline_form")


@login_required
def letter_acknowledge_view(request: HttpRequest, ref: str) -> HttpResponse:
    def run(letter, scope, data):
        letter_acknowledge(letter=letter, version=data.get("version"), scope=scope, user=request.user)
        messages.success(request, _("The letter is acknowledged."))

    return _step(request, ref, VersionForm, run, who="recipient", form_key="")


@login_required
def letter_respond_view(request: HttpRequest, ref: str) -> HttpResponse:
    def run(letter, scope, data):
        letter_respond(
            letter=letter,
            version=data.get("version"),
            text=data.get("text", ""),
            scope=scope,
            user=request.user,
        )
        messages.success(request, _("The answer is recorded."))

    return _step(request, ref, RespondForm, run, who="recipient", form_key="respond_form")


def letter_file(letter, fmt: str) -> HttpResponse:
    """The letter as a Word or PDF download."""
    try:
        content = render_document(letter_document(letter), fmt)
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    name = f"{letter.ref}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def letter_docx(request: HttpRequest, ref: str) -> HttpResponse:
    return letter_file(_letter(request, ref), "docx")


@login_required
def letter_pdf(request: HttpRequest, ref: str) -> HttpResponse:
    return letter_file(_letter(request, ref), "pdf")


def _rules_county(request: HttpRequest) -> Region:
    scope = request_scope(request)
    if not scope.can_set_rules:
        raise PermissionDenied
    region = scope.region or scope.home
    county = county_of(region) if region is not None else None
    if county is None:
        county = Region.objects.filter(level=Level.COUNTY).order_by("code").first()
    if county is None:
        raise Http404
    return county


@login_required
def rules(request: HttpRequest) -> HttpResponse:
    """The county's window and response deadlines, and its four letter templates."""
    county = _rules_county(request)
    policy = policy_for(county)
    initial = {name: getattr(policy, name) for name in PolicyForm.base_fields if name != "version"}
    initial["version"] = policy.version if policy.pk else None
    form = PolicyForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                policy_save(
                    county=county,
                    version=form.cleaned_data.get("version"),
                    scope=request_scope(request),
                    **values,
                )
            except StaleVersion as stale:
                form.add_error(None, str(stale))
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The ladder's rules are saved."))
                return redirect("supervision:rules")
    templates = [(kind, LetterKind(kind).label, template_for(county, kind)) for kind in LETTER_KINDS]
    return render(
        request,
        "supervision/rules.html",
        {"county": county, "form": form, "templates": templates},
        status=status,
    )


@login_required
def template_edit(request: HttpRequest, kind: str) -> HttpResponse:
    county = _rules_county(request)
    if kind not in LETTER_KINDS:
        raise Http404
    template = template_for(county, kind)
    form = TemplateForm(
        request.POST or None,
        initial={
            "title": template.title,
            "body": template.body,
            "version": template.version if template.pk else None,
        },
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                template_save(
                    county=county,
                    kind=kind,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    version=form.cleaned_data.get("version"),
                    scope=request_scope(request),
                )
            except StaleVersion as stale:
                form.add_error(None, str(stale))
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The template is saved."))
                return redirect("supervision:rules")
    return render(
        request,
        "supervision/template_form.html",
        {"form": form, "kind_label": LetterKind(kind).label, "fields": TEMPLATE_FIELDS, "county": county},
        status=status,
    )
