"""Pages of 考核: the scores of the towns or departments for a period with the breakdown (and its Excel
export), and the indicator sets a county administrator edits."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from sanling.accounts.scope import request_scope
from sanling.assessment.periods import Period, parse_assessable
from sanling.audit.services import audit_export
from sanling.core.concurrency import StaleVersion

from .exports import scores_workbook, table_header, table_row
from .indicators import REGISTRY, kinds_for
from .models import IndicatorSet, Mapping, Target
from .selectors import county_of, indicator_set_for, score_rows, visible_rows
from .services import IndicatorInput, indicator_set_create, indicator_set_update

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def score_query(request: HttpRequest) -> dict:
    """What a score page or export asks for: the period (?period=2026, 2026Q3, 2026-07; default this year)
    and what is scored (?target=towns|departments), the set in force, the county and the visible rows."""
    scope = request_scope(request)
    today = timezone.localdate()
    error = ""
    text = request.GET.get("period", "").strip()
    period = Period.of_year(today.year)
    if text:
        try:
            period = parse_assessable(text, today=today)
        except ValidationError as problem:
            error = problem.messages[0]
    target = request.GET.get("target", Target.TOWNS)
    if target not in Target.values:
        target = Target.TOWNS
    county = county_of(scope) if scope.sees_business_data else None
    indicator_set = indicator_set_for(period.year, target)
    rows = []
    if county is not None and indicator_set is not None and not error:
        rows = visible_rows(
            score_rows(indicator_set=indicator_set, county=county, period=period), scope, county
        )
    return {
        "scope": scope,
        "period": period,
        "period_error": error,
        "target": target,
        "county": county,
        "indicator_set": indicator_set,
        "rows": rows,
    }


@login_required
def score_list(request: HttpRequest) -> HttpResponse:
    query = score_query(request)
    indicator_set = query["indicator_set"]
    return render(
        request,
        "scoring/score_list.html",
        {
            **query,
            "targets": Target.choices,
            "header": table_header(indicator_set) if indicator_set else [],
            "table": [table_row(row) for row in query["rows"]],
            "indicators": [
                (REGISTRY[indicator.key].label, indicator) for indicator in indicator_set.indicators.all()
            ]
            if indicator_set
            else [],
        },
        status=400 if query["period_error"] else 200,
    )


@login_required
def score_export(request: HttpRequest) -> HttpResponse:
    """The Excel of exactly the rows the page shows."""
    query = score_query(request)
    if query["period_error"] or query["indicator_set"] is None or query["county"] is None:
        return HttpResponse(
            query["period_error"] or _("There is no indicator set for this year."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    title = f"考核得分-{query['period'].key}"
    content, mark = scores_workbook(
        indicator_set=query["indicator_set"], rows=query["rows"], scope=query["scope"], title=title
    )
    audit_export(
        what="scores",
        region_path=query["county"].path,
        rows={"scores": len(query["rows"])},
        file_format="xlsx",
        filters=request.GET.urlencode(),
        mark=mark,
    )
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="scores-{query["target"]}-{query["period"].key}.xlsx"'
    )
    return response


def _rule_setter(request: HttpRequest):
    scope = request_scope(request)
    if not scope.can_set_rules:
        raise PermissionDenied
    return scope


def _posted_indicators(request: HttpRequest, target: str) -> list[IndicatorInput]:
    """One row per registry indicator of the form; a row with an empty weight is left out."""
    rows = []
    for kind in kinds_for(target):
        weight = request.POST.get(f"weight-{kind.key}", "").strip()
        if not weight:
            continue
        rows.append(
            IndicatorInput(
                key=kind.key,
                weight=weight,
                bar=request.POST.get(f"bar-{kind.key}", ""),
                mapping=request.POST.get(f"mapping-{kind.key}", ""),
            )
        )
    return rows


def _form_rows(target: str, indicator_set: IndicatorSet | None, posted=None) -> list[dict]:
    current = {row.key: row for row in indicator_set.indicators.all()} if indicator_set else {}
    rows = []
    for kind in kinds_for(target):
        row = current.get(kind.key)
        if posted is not None:
            values = {
                "weight": posted.get(f"weight-{kind.key}", ""),
                "bar": posted.get(f"bar-{kind.key}", ""),
                "mapping": posted.get(f"mapping-{kind.key}", kind.mapping),
            }
        else:
            values = {
                "weight": row.weight if row else "",
                "bar": "" if row is None or row.bar is None else row.bar,
                "mapping": row.mapping if row else kind.mapping,
            }
        rows.append({"kind": kind, **values})
    return rows


@login_required
def set_list(request: HttpRequest) -> HttpResponse:
    """The indicator sets, and a form for a new one (county administrators)."""
    _rule_setter(request)
    scope = request_scope(request)
    target = request.POST.get("target") or request.GET.get("target") or Target.TOWNS
    if target not in Target.values:
        target = Target.TOWNS
    error = ""
    values = {"name": "", "year": str(timezone.localdate().year)}
    if request.method == "POST":
        values = {"name": request.POST.get("name", ""), "year": request.POST.get("year", "").strip()}
        try:
            year = int(values["year"])
        except ValueError:
            error = _("Give the year as a number, such as 2026.")
        else:
            try:
                created = indicator_set_create(
                    name=values["name"],
                    year=year,
                    target=target,
                    indicators=_posted_indicators(request, target),
                    scope=scope,
                )
            except ValidationError as problem:
                error = " ".join(problem.messages)
            else:
                messages.success(request, _("The indicator set was saved."))
                return redirect("scoring:set_edit", pk=created.pk)
    return render(
        request,
        "scoring/set_list.html",
        {
            "sets": IndicatorSet.objects.prefetch_related("indicators"),
            "target": target,
            "targets": Target.choices,
            "values": values,
            "rows": _form_rows(target, None, request.POST if request.method == "POST" else None),
            "mappings": Mapping.choices,
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
def set_edit(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _rule_setter(request)
    indicator_set = get_object_or_404(IndicatorSet, pk=pk)
    error = ""
    if request.method == "POST":
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = None
        try:
            indicator_set_update(
                indicator_set=indicator_set,
                version=version,
                name=request.POST.get("name", indicator_set.name),
                indicators=_posted_indicators(request, indicator_set.target),
                scope=scope,
            )
        except (ValidationError, StaleVersion) as problem:
            error = " ".join(problem.messages) if isinstance(problem, ValidationError) else str(problem)
        else:
            messages.success(request, _("The indicator set was saved."))
            return redirect("scoring:set_edit", pk=indicator_set.pk)
    return render(
        request,
        "scoring/set_edit.html",
        {
            "indicator_set": indicator_set,
            "rows": _form_rows(
                indicator_set.target, indicator_set, request.POST if request.method == "POST" else None
            ),
            "mappings": Mapping.choices,
            "error": error,
        },
        status=400 if error else 200,
    )
