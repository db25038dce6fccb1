"""Pages of key persons (mounted at /key-people/): the list, a person's page (masked identity, the unmask
form, the visits and the next one due), the person form, the one-handed visit form and the ledgers.

Every page reads through ``selectors.key_people(scope)`` (404 outside the user's area) and writes through
the services; identities are shown masked, in clear only after ``personal_unmask`` (a role that may, with a
reason, audited) and only on the page that answers that request."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from sanling.accounts.scope import get_object_for_user, request_scope
from sanling.core.concurrency import StaleVersion
from sanling.core.ledger_jobs import ledger_job_view
from sanling.personal.access import may_unmask
from sanling.personal.fields import masked
from sanling.personal.forms import UnmaskForm
from sanling.personal.services import personal_unmask
from sanling.work.attachments import attachments_of
from sanling.work.selectors import timeline_of

from . import services
from .exports import key_people_csv, key_people_ledger, ledger_rows
from .filters import KeyPersonFilter
from .forms import IDENTITY, KeyPersonForm, ReleaseForm, VisitForm
from .models import KeyPerson
from .selectors import cross_area_duplicates, is_overdue, key_people, visits_of
from .services import category_label, category_labels

PAGE_SIZE = 50


def _person(request: HttpRequest, ref: str) -> KeyPerson:
    return get_object_for_user(key_people(request_scope(request)), ref=ref)


def _page(person: KeyPerson) -> str:
    return reverse("keypeople:detail", kwargs={"ref": person.ref})


def _apply_errors(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, field_errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_errors)


def _require_writer(request: HttpRequest) -> None:
    if not request_scope(request).can_write:
        raise PermissionDenied


def _filtered(request: HttpRequest, *, ledger: bool = False) -> KeyPersonFilter:
    scope = request_scope(request)
    rows = ledger_rows(key_people(scope)) if ledger else key_people(scope)
    return KeyPersonFilter(request.GET or None, queryset=rows, request=request)


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    scope = request_scope(request)
    filterset = _filtered(request)
    rows = filterset.qs if not filterset.errors else KeyPerson.objects.none()
    page = Paginator(rows.order_by("case__due_on", "ref"), PAGE_SIZE).get_page(request.GET.get("page"))
    labels = category_labels()
    for person in page:
        person.masked_name = masked(person, "name")
        person.category_label = labels.get(person.category, person.category)
        person.overdue = is_overdue(person)
    query = request.GET.copy()
    query.pop("page", None)
    response = render(
        request,
        "keypeople/person_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "query_items": [(key, value) for key, value in query.items() if key != "reason"],
            "may_unmask": may_unmask(scope),
            "today": timezone.localdate(),
            "duplicates": cross_area_duplicates(scope) if scope.sees_business_data else [],
        },
    )
    add_never_cache_headers(response)
    return response


def _detail(
    request: HttpRequest,
    person: KeyPerson,
    *,
    clear=None,
    unmask_form=None,
    release_form=None,
    status=200,
) -> HttpResponse:
    scope = request_scope(request)
    shown = clear or {name: masked(person, name) for name in IDENTITY}
    context = {
        "person": person,
        "identity": shown,
        "unmasked": clear is not None,
        "may_unmask": may_unmask(scope),
        "unmask_form": unmask_form or UnmaskForm(),
        "category": category_label(person.category),
        "overdue": is_overdue(person),
        "visits": visits_of(person),
        "entries": timeline_of(person.case),
        "item": person.case,
        "attachments": attachments_of(person.case),
        "release_form": release_form or ReleaseForm(initial={"on": timezone.localdate()}, prefix="release"),
        "release_open": release_form is not None,
    }
    response = render(request, "keypeople/person_detail.html", context, status=status)
    add_never_cache_headers(response)  # personal data, masked or not, stays out of caches
    return response


@login_required
def person_detail(request: HttpRequest, ref: str) -> HttpResponse:
    return _detail(request, _person(request, ref))


@login_required
def person_unmask(request: HttpRequest, ref: str) -> HttpResponse:
    """The person's page with the identity in clear, for a user who may unmask and says why (audited by
    ``personal_unmask``). Answered in place, never redirected: the clear values are in no URL."""
    person = _person(request, ref)
    if request.method != "POST":
        return redirect(_page(person))
    if not may_unmask(request_scope(request)):
        raise PermissionDenied(_("You may not see personal data in clear."))
    form = UnmaskForm(request.POST)
    if not form.is_valid():
        return _detail(request, person, unmask_form=form, status=400)
    try:
        clear = personal_unmask(
            user=request.user, instance=person, fields=IDENTITY, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        form.add_error("reason", error.message_dict.get("reason", error.messages))
        return _detail(request, person, unmask_form=form, status=400)
    return _detail(request, person, clear=clear)


def _form_page(request, form, *, person=None, status=200, conflict=None) -> HttpResponse:
    response = render(
        request,
        "keypeople/person_form.html",
        {"form": form, "person": person, "conflict": conflict},
        status=status,
    )
    add_never_cache_headers(response)
    return response


def _person_values(form) -> dict:
    data = form.cleaned_data
    return {
        "region": data["region"],
        "category": data["category"],
        "risk_level": data["risk_level"],
        "name": data["name"],
        "id_number": data["id_number"],
        "phone": data["phone"],
        "address": data["address"],
        "post": data["post"],
        "handler": data["handler"],
        "note": data["note"],
    }


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    _require_writer(request)
    scope = request_scope(request)
    if not scope.records_places:  # a key person is placed in a region: a department registers none
        raise PermissionDenied
    if request.method != "POST":
        return _form_page(request, KeyPersonForm(scope=scope))
    form = KeyPersonForm(request.POST, scope=scope)
    if form.is_valid():
        try:
            person = services.key_person_create(actor=request.user, **_person_values(form))
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, pgettext("key people", "Key person registered."))
            return redirect(_page(person))
    return _form_page(request, form, status=400)


@login_required
def person_edit(request: HttpRequest, ref: str) -> HttpResponse:
    _require_writer(request)
    scope = request_scope(request)
    person = _person(request, ref)
    if request.method != "POST":
        return _form_page(request, KeyPersonForm(scope=scope, person=person), person=person)
    form = KeyPersonForm(request.POST, scope=scope, person=person)
    if form.is_valid():
        try:
            person = services.key_person_update(
                actor=request.user,
                person=person,
                version=form.cleaned_data["version"],
                **_person_values(form),
            )
        except StaleVersion as error:
            form.add_error(None, str(error))
            return _form_page(request, form, person=person, status=409)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, pgettext("key people", "Key person saved."))
            return redirect(_page(person))
    return _form_page(request, form, person=person, status=400)


@login_required
def person_release(request: HttpRequest, ref: str) -> HttpResponse:
    _require_writer(request)
    person = _person(request, ref)
    if request.method != "POST":
        return redirect(_page(person))
    form = ReleaseForm(request.POST, prefix="release")
    if form.is_valid():
        try:
            services.key_person_release(
                actor=request.user,
                person=person,
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The person is no longer managed."))
            return redirect(_page(person))
    # Refused: the page again with the form open and what was typed kept (issue 15 item 7).
    return _detail(request, person, release_form=form, status=400)


@login_required
def visit_record(request: HttpRequest, ref: str) -> HttpResponse:
    """The visit form, one-handed at 375 px: date, face to face or not, place, findings, a photo from the
    camera. A refusal keeps what was typed (the photo must be taken again: browsers never refill a file)."""
    _require_writer(request)
    person = _person(request, ref)
    form = VisitForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.key_person_visit_record(
                    actor=request.user,
                    person=person,
                    visited_on=data["visited_on"],
                    face_to_face=data["face_to_face"],
                    place=data["place"],
                    findings=data["findings"],
                    photo=data["photo"],
                )
            except ValidationError as error:
                _apply_errors(form, error)
            except PermissionDenied:
                raise
            else:
                messages.success(request, pgettext("key people", "Visit recorded."))
                return redirect(_page(person))
    response = render(
        request,
        "keypeople/visit_form.html",
        {
            "form": form,
            "person": person,
            "masked_name": masked(person, "name"),
            "category": category_label(person.category),
        },
        status=status,
    )
    add_never_cache_headers(response)
    return response


@login_required
def person_export(request: HttpRequest) -> HttpResponse:
    """重点人群台账 (Excel) of the filtered list."""
    return key_people_ledger(request, _filtered(request, ledger=True))


@login_required
def person_export_csv(request: HttpRequest) -> HttpResponse:
    """``key_people.csv`` of the filtered list."""
    return key_people_csv(request, _filtered(request, ledger=True))


export_job = ledger_job_view("key_people", "keypeople:list")


@login_required
def frequencies(request: HttpRequest) -> HttpResponse:
    """How often each category is visited at each risk level, as the user's county has it (its own rows, else
    the defaults). A county administrator changes a row for their county; everyone else reads."""
    scope = request_scope(request)
    if not scope.sees_business_data:
        raise PermissionDenied
    county = services.county_of(scope)
    editable = county is not None and scope.can_administer
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        try:
            services.visit_frequency_set(
                actor=request.user,
                county=county,
                category=request.POST.get("category", ""),
                risk_level=request.POST.get("risk_level", ""),
                amount=int(request.POST.get("amount") or 0),
                unit=request.POST.get("unit", ""),
            )
        except (ValueError, ValidationError) as error:
            messages.error(
                request,
                " ".join(getattr(error, "messages", [pgettext("key people", "Give a whole number.")])),
            )
        else:
            messages.success(request, pgettext("key people", "Visit frequency saved."))
        return redirect("keypeople:frequencies")
    rows = services.frequency_table(county)
    return render(
        request, "keypeople/frequencies.html", {"rows": rows, "county": county, "editable": editable}
    )
