"""Pages of the monthly review: the list (and a form to hold one), a review's ranking with a note field per
item, refresh and finalise, and the document for the meeting (Word or PDF), all inside the reader's scope."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from sanling.accounts.scope import request_scope
from sanling.audit.services import audit_export
from sanling.core.concurrency import StaleVersion
from sanling.documents import CONTENT_TYPES, FORMATS
from sanling.documents import render as render_document

from .documents import item_header, item_row, review_document
from .models import ItemKind, MonthlyReview
from .selectors import default_month, review_regions, reviews_for
from .services import review_create, review_finalise, review_note, review_refresh


def _supervisor(request: HttpRequest):
    scope = request_scope(request)
    if not scope.can_supervise:
        raise PermissionDenied
    return scope


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    """The reviews of the reader's area, newest month first, and (for those who supervise) a form to hold
    one."""
    scope = request_scope(request)
    regions = review_regions(scope)
    error = ""
    values = {"region": "", "month": default_month().key}
    if request.method == "POST":
        _supervisor(request)
        values = {"region": request.POST.get("region", ""), "month": request.POST.get("month", "").strip()}
        region = regions.filter(code=values["region"]).first()
        if region is None:
            error = _("Choose a county or town of your area.")
        else:
            try:
                review = review_create(region=region, month=values["month"], scope=scope, user=request.user)
            except ValidationError as problem:
                error = " ".join(problem.messages)
            else:
                messages.success(request, _("The monthly review was created."))
                return redirect("reviews:detail", pk=review.pk)
    return render(
        request,
        "reviews/review_list.html",
        {
            "reviews": reviews_for(scope)[:200],
            "regions": regions,
            "values": values,
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = request_scope(request)
    review = get_object_or_404(reviews_for(scope), pk=pk)
    if request.method == "POST":
        raise Http404
    items = list(review.items.select_related("region", "department"))
    sections = []
    for kind, title in ((ItemKind.REGION, _("Towns and villages")), (ItemKind.DEPARTMENT, _("Departments"))):
        rows = [(item, item_row(item)) for item in items if item.kind == kind]
        sections.append({"kind": kind, "title": title, "header": item_header(kind), "rows": rows})
    return render(
        request,
        "reviews/review_detail.html",
        {
            "review": review,
            "sections": sections,
            "may_edit": scope.can_supervise and not review.is_final,
            "formats": FORMATS,
        },
    )


@login_required
def review_item_note(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    scope = request_scope(request)
    review = get_object_or_404(reviews_for(scope), pk=pk)
    row = get_object_or_404(review.items, pk=item)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    _supervisor(request)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        review_note(item=row, note=request.POST.get("note", "")[:2000], version=version, scope=scope)
    except StaleVersion as stale:
        messages.error(request, str(stale))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The note on %(name)s was saved.") % {"name": row.name})
    return redirect(f"{review_url(review)}#item-{row.pk}")


def review_url(review: MonthlyReview) -> str:
    from django.urls import reverse

    return reverse("reviews:detail", kwargs={"pk": review.pk})


@login_required
def review_refresh_view(request: HttpRequest, pk: int) -> HttpResponse:
    scope = request_scope(request)
    review = get_object_or_404(reviews_for(scope), pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    _supervisor(request)
    try:
        review_refresh(review=review, scope=scope)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The figures were recomputed."))
    return redirect(review_url(review))


@login_required
def review_finalise_view(request: HttpRequest, pk: int) -> HttpResponse:
    scope = request_scope(request)
    review = get_object_or_404(reviews_for(scope), pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    _supervisor(request)
    try:
        review_finalise(review=review, scope=scope)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The monthly review is final."))
    return redirect(review_url(review))


@login_required
def review_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The review as Word or PDF for the meeting."""
    scope = request_scope(request)
    review = get_object_or_404(reviews_for(scope), pk=pk)
    if request.method != "GET" or fmt not in FORMATS:
        raise Http404
    content = render_document(review_document(review), fmt)
    audit_export(
        what="monthly_review",
        region_path=review.region.path,
        rows={"items": review.items.count()},
        file_format=fmt,
        filters=f"review={review.pk}",
    )
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="review-{review.region.code}-{review.month}.{fmt}"'
    )
    return response
