"""Pages of the 四色预警: the list per colour of the reader's area (with each subject's reasons and the
consequence of its colour), the changes since last week, and the rules (read by everyone who sees the
campaign, edited by the county administrator: a new version, thresholds, consequences, a rule)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from sanling.accounts.models import Role
from sanling.accounts.scope import Scope, request_scope
from sanling.regions.models import Level, Region
from sanling.subjects.models import Group

from .conditions import CONDITIONS, parameters_text, validate_parameters
from .models import COLOUR_NAMES, Colour, Rule, RuleSet
from .selectors import (
    COLOURS,
    changes_since_last_week,
    colour_counts,
    consequences_of,
    rule_set_on,
    subject_warnings,
)
from .services import GROUP_NAMES, consequence_set, rule_save, rule_set_create, thresholds_set


def _reader(request: HttpRequest) -> Scope:
    scope = request_scope(request)
    if not scope.sees_business_data:
        raise PermissionDenied
    return scope


def _rules_writer(request: HttpRequest) -> Scope:
    scope = request_scope(request)
    if not scope.can_set_rules:
        raise PermissionDenied
    return scope


def _on(request: HttpRequest) -> tuple[datetime.date, str]:
    """The day asked for (``on``), else today; a day that makes no sense is refused in Chinese."""
    today = timezone.localdate()
    text = request.GET.get("on", "").strip()
    if not text:
        return today, ""
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        return today, f"日期“{text[:20]}”无法识别，请按 2025-03-31 的格式填写；已显示今天的预警。"
    if day > today or day.year < 2000:
        return today, f"日期“{text[:20]}”不在可查询范围内（2000 年至今天）；已显示今天的预警。"
    return day, ""


def _area(request: HttpRequest, scope: Scope) -> tuple[Region | None, list[Region], str]:
    """(region to list, the towns to filter by, error): the reader's home or the town chosen."""
    home = scope.home
    if home is None:
        return None, [], ""
    towns = list(scope.regions().filter(level=Level.TOWN, path__startswith=home.path).order_by("code")[:200])
    code = request.GET.get("town", "").strip()
    if not code:
        return home, towns, ""
    chosen = next((town for town in towns if town.code == code), None)
    if chosen is None:
        return home, towns, "所选乡镇（街道）不在您的管辖范围内。"
    return chosen, towns, ""


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The subjects of the reader's area that have a colour on the day, most severe first, filtered by colour
    and town, with counts per colour, each with its reasons and the consequence of its colour."""
    scope = _reader(request)
    on, on_error = _on(request)
    region, towns, town_error = _area(request, scope)
    colour = request.GET.get("colour", "")
    colour = colour if colour in COLOURS else ""
    warnings = subject_warnings(region=region, on=on, scope=scope) if region else []
    departments = list(scope.departments().order_by("code"))
    department = next((d for d in departments if d.code == request.GET.get("department", "")), None)
    if department is not None:
        warnings = [warning for warning in warnings if warning.department_id == department.pk]
    counts = colour_counts(warnings)
    shown = [warning for warning in warnings if warning.colour == colour] if colour else warnings
    page = Paginator(shown, 100).get_page(request.GET.get("page"))
    rule_set = rule_set_on(on)
    consequences = consequences_of(rule_set)
    regions = dict(Region.objects.filter(pk__in={w.region_id for w in page}).values_list("pk", "name"))
    rows = [
        {
            "warning": warning,
            "colour_name": COLOUR_NAMES[warning.colour],
            "region_name": regions.get(warning.region_id, ""),
            "consequence": consequences.get(warning.colour),
        }
        for warning in page
    ]
    return render(
        request,
        "alerts/index.html",
        {
            "region": region,
            "on": on,
            "errors": [message for message in (on_error, town_error) if message],
            "towns": towns,
            "town": request.GET.get("town", ""),
            "departments": departments if len(departments) > 1 else [],
            "department": department.code if department else "",
            "colour": colour,
            "counts": [(name, COLOUR_NAMES[name], counts[name], consequences.get(name)) for name in COLOURS],
            "total": len(warnings),
            "rows": rows,
            "page": page,
            "rule_set": rule_set,
        },
    )


@login_required
def changes(request: HttpRequest) -> HttpResponse:
    """Who changed colour between a week ago and the day: new, escalated, eased, cleared."""
    scope = _reader(request)
    on, on_error = _on(request)
    region, towns, town_error = _area(request, scope)
    found = changes_since_last_week(region=region, on=on, scope=scope) if region else {}
    titles = {
        "new": _("New warnings"),
        "escalated": _("Escalated"),
        "eased": _("Eased"),
        "cleared": _("Cleared"),
    }
    sections = [
        {
            "kind": kind,
            "title": titles[kind],
            "rows": [
                {
                    "change": change,
                    "before": COLOUR_NAMES.get(change.before, "—"),
                    "after": COLOUR_NAMES.get(change.after, "—"),
                }
                for change in found.get(kind, [])
            ],
        }
        for kind in titles
    ]
    return render(
        request,
        "alerts/changes.html",
        {
            "region": region,
            "on": on,
            "week_ago": on - datetime.timedelta(days=7),
            "errors": [message for message in (on_error, town_error) if message],
            "towns": towns,
            "town": request.GET.get("town", ""),
            "sections": sections,
        },
    )


def _rule_rows(rule_set: RuleSet) -> list[dict]:
    return [
        {
            "rule": rule,
            "colour_name": COLOUR_NAMES[rule.colour],
            "condition": CONDITIONS[rule.condition].title if rule.condition in CONDITIONS else rule.condition,
            "parameters": parameters_text(rule.condition, rule.parameters or {}),
        }
        for rule in rule_set.rules.order_by("order", "pk")
    ]


@login_required
def rules(request: HttpRequest) -> HttpResponse:
    """Every version of the rules, the one asked for (``version``, else the one in force today) in full."""
    scope = _reader(request)
    today = timezone.localdate()
    current = rule_set_on(today)
    versions = list(RuleSet.objects.order_by("-valid_from"))
    chosen = current
    wanted = request.GET.get("version", "")
    if wanted.isdigit():
        chosen = next((version for version in versions if version.pk == int(wanted)), current)
    thresholds = {}
    if chosen is not None:
        for threshold in chosen.thresholds.all():
            thresholds.setdefault(threshold.group, {})[threshold.colour] = threshold.below
    return render(
        request,
        "alerts/rules.html",
        {
            "versions": versions,
            "current": current,
            "chosen": chosen,
            "rules": _rule_rows(chosen) if chosen else [],
            "consequences": [
                (name, COLOUR_NAMES[name], consequences_of(chosen).get(name)) for name in COLOURS
            ]
            if chosen
            else [],
            "thresholds": [
                (
                    GROUP_NAMES[group],
                    [(COLOUR_NAMES[name], thresholds.get(group, {}).get(name)) for name in COLOURS],
                )
                for group in Group.values
            ],
            "can_edit": scope.can_set_rules,
            "today": today,
        },
    )


def _date(value: str, field: str, errors: dict) -> datetime.date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        errors[field] = f"日期“{value[:20]}”无法识别，请按 2025-03-31 的格式填写。"
        return None


def _messages_of(error: ValidationError) -> dict[str, str]:
    if hasattr(error, "error_dict"):
        return {field: "；".join(messages_) for field, messages_ in error.message_dict.items()}
    return {"__all__": "；".join(error.messages)}


@login_required
def rule_set_new(request: HttpRequest) -> HttpResponse:
    """A new version of the rules: a copy of the one in force, from a day on (the one in force then ends the
    day before)."""
    scope = _rules_writer(request)
    current = rule_set_on(timezone.localdate())
    errors: dict[str, str] = {}
    values = {"name": "", "valid_from": "", "valid_to": "", "note": ""}
    if request.method == "POST":
        values = {key: request.POST.get(key, "").strip() for key in values}
        valid_from = _date(values["valid_from"], "valid_from", errors)
        valid_to = _date(values["valid_to"], "valid_to", errors)
        if valid_from is None and "valid_from" not in errors:
            errors["valid_from"] = "请填写起始日期。"
        if not errors:
            try:
                version = rule_set_create(
                    name=values["name"],
                    valid_from=valid_from,
                    valid_to=valid_to,
                    note=values["note"],
                    copy_from=current,
                    scope=scope,
                )
            except ValidationError as error:
                errors = _messages_of(error)
            else:
                messages.success(request, f"已创建规则版本“{version.name}”。")
                return redirect(f"{_rules_url()}?version={version.pk}")
    return render(
        request,
        "alerts/rule_set_form.html",
        {"current": current, "values": values, "errors": errors},
        status=400 if errors else 200,
    )


def _rules_url() -> str:
    from django.urls import reverse

    return reverse("alerts:rules")


@login_required
def thresholds_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A version's region thresholds, per group and colour (blank: no such colour for the group)."""
    scope = _rules_writer(request)
    rule_set = get_object_or_404(RuleSet, pk=pk)
    current = {(t.group, t.colour): str(t.below.normalize()) for t in rule_set.thresholds.all()}
    errors: dict[str, str] = {}
    values = {
        f"{group}_{colour}": current.get((group, colour), "") for group in Group.values for colour in COLOURS
    }
    if request.method == "POST":
        values = {key: request.POST.get(key, "").strip() for key in values}
        try:
            for group in Group.values:
                thresholds_set(
                    rule_set=rule_set,
                    group=group,
                    values={colour: values[f"{group}_{colour}"] for colour in COLOURS},
                    scope=scope,
                )
        except ValidationError as error:
            errors = _messages_of(error)
        else:
            messages.success(request, "地区预警阈值已保存。")
            return redirect(f"{_rules_url()}?version={rule_set.pk}")
    groups = [
        (
            GROUP_NAMES[group],
            [(f"{group}_{colour}", COLOUR_NAMES[colour], values[f"{group}_{colour}"]) for colour in COLOURS],
        )
        for group in Group.values
    ]
    return render(
        request,
        "alerts/thresholds_form.html",
        {"rule_set": rule_set, "groups": groups, "errors": errors},
        status=400 if errors else 200,
    )


ROLE_CHOICES = [
    (Role.COUNTY_ADMIN, "县级管理员"),
    (Role.TOWN_OPERATOR, "乡镇（街道）操作员"),
    (Role.DEPARTMENT_USER, "行业部门用户"),
    (Role.GRID_WORKER, "网格员"),
    (Role.VIEWER, "领导（只读）"),
]


@login_required
def consequences_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """What each colour means under a version: who is told, how often the subject is checked, what happens."""
    scope = _rules_writer(request)
    rule_set = get_object_or_404(RuleSet, pk=pk)
    existing = consequences_of(rule_set)
    errors: dict[str, str] = {}
    rows = []
    for colour in COLOURS:
        consequence = existing.get(colour)
        rows.append(
            {
                "colour": colour,
                "name": COLOUR_NAMES[colour],
                "who": consequence.who if consequence else "",
                "roles": list(consequence.roles) if consequence else [],
                "days": str(consequence.check_every_days) if consequence else "",
                "action": consequence.action if consequence else "",
            }
        )
    if request.method == "POST":
        for row in rows:
            colour = row["colour"]
            row.update(
                who=request.POST.get(f"{colour}_who", "").strip(),
                roles=request.POST.getlist(f"{colour}_roles"),
                days=request.POST.get(f"{colour}_days", "").strip(),
                action=request.POST.get(f"{colour}_action", "").strip(),
            )
        try:
            from django.db import transaction

            with transaction.atomic():
                for row in rows:
                    try:
                        consequence_set(
                            rule_set=rule_set,
                            colour=row["colour"],
                            who=row["who"],
                            roles=row["roles"],
                            check_every_days=row["days"],
                            action=row["action"],
                            scope=scope,
                        )
                    except ValidationError as error:
                        raise ValidationError(
                            {row["colour"]: f"{row['name']}：{'；'.join(error.messages)}"}
                        ) from None
        except ValidationError as error:
            errors = _messages_of(error)
        else:
            messages.success(request, "预警处置措施已保存。")
            return redirect(f"{_rules_url()}?version={rule_set.pk}")
    return render(
        request,
        "alerts/consequences_form.html",
        {"rule_set": rule_set, "rows": rows, "roles": ROLE_CHOICES, "errors": errors},
        status=400 if errors else 200,
    )


@login_required
def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """One rule of a version: its colour, label, parameters (per its condition) and whether it is on."""
    scope = _rules_writer(request)
    rule = get_object_or_404(Rule.objects.select_related("rule_set"), pk=pk)
    condition = CONDITIONS.get(rule.condition)
    errors: dict[str, str] = {}
    values = {
        "colour": rule.colour,
        "label": rule.label,
        "enabled": rule.enabled,
        **{f"p_{name}": str(value) for name, value in (rule.parameters or {}).items()},
    }
    parameters = list(condition.parameters) if condition else []
    if request.method == "POST":
        values = {
            "colour": request.POST.get("colour", ""),
            "label": request.POST.get("label", "").strip(),
            "enabled": request.POST.get("enabled") == "on",
            **{f"p_{p.name}": request.POST.get(f"p_{p.name}", "").strip() for p in parameters},
        }
        try:
            given = {p.name: values[f"p_{p.name}"] for p in parameters if values[f"p_{p.name}"] != ""}
            validate_parameters(rule.condition, given)
            rule_save(
                rule_set=rule.rule_set,
                rule=rule,
                colour=values["colour"],
                condition=rule.condition,
                label=values["label"],
                parameters=given,
                enabled=values["enabled"],
                scope=scope,
            )
        except ValidationError as error:
            errors = _messages_of(error)
        else:
            messages.success(request, "预警规则已保存。")
            return redirect(f"{_rules_url()}?version={rule.rule_set_id}")
    return render(
        request,
        "alerts/rule_form.html",
        {
            "rule": rule,
            "condition": condition,
            "values": values,
            "parameters": [
                (p, values.get(f"p_{p.name}", str(p.default)), list(p.choices.items())) for p in parameters
            ],
            "colours": [(value, COLOUR_NAMES[value]) for value in Colour.values],
            "errors": errors,
        },
        status=400 if errors else 200,
    )
