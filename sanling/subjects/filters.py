"""The subject list's filters, shared by the list page, its Excel export and (later) the API."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from sanling.accounts.scope import Scope
from sanling.assessment.engine import policies_for
from sanling.assessment.models import ZEROS
from sanling.assessment.periods import Period
from sanling.core.record_filters import PeriodField
from sanling.core.validators import normalize_phone
from sanling.events.models import Event
from sanling.personal.fields import blind_q
from sanling.personal.masking import mask_phone
from sanling.regions.models import Region, subtree_q

from .forms import RegionField
from .models import Category, Kind, Subject


def active_q(period: Period) -> Q:
    return Q(joined_on__lte=period.end) & (Q(retired_on__isnull=True) | Q(retired_on__gte=period.start))


def failing_q(period: Period) -> Q:
    """Subjects that broke a zero in ``period`` under the policy in force."""
    policy = policies_for([period])[period.key]
    breaking = Q()
    for zero in ZEROS:
        breaking |= policy.breaking_q(zero)
    events = Event.objects.filter(breaking, occurred_on__range=(period.start, period.end))
    return Q(pk__in=events.values("subject_id"))


@extend_schema_field(OpenApiTypes.STR)
class PeriodFilter(django_filters.Filter):
    field_class = PeriodField


class RegionFilter(django_filters.Filter):
    """A region of the user's area by code or name (the queryset is set per user)."""

    field_class = RegionField


class SubjectFilter(django_filters.FilterSet):
    """The filters of the subject list. A filter that cannot be applied (an unknown period or region) is a
    form error in Chinese, never a silently ignored or silently empty filter."""

    q = django_filters.CharFilter(label=_("Name or code"), method="filter_text")
    # Phones are encrypted: an exact number is found through its blind index (no partial match).
    phone = django_filters.CharFilter(label=_("Contact phone"), method="filter_phone", max_length=24)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Kind.choices)
    category = django_filters.ChoiceFilter(label=_("Category"), choices=Category.choices)
    department = django_filters.ModelChoiceFilter(label=_("Department"), queryset=None, to_field_name="code")
    region = RegionFilter(label=_("Region"), method="filter_region")
    compliance = django_filters.ChoiceFilter(
        label=_("Compliance"),
        choices=[("compliant", _("Compliant")), ("failing", _("Not compliant"))],
        method="filter_compliance",
    )
    period = PeriodFilter(label=_("Period"), method="keep")

    class Meta:
        model = Subject
        fields = ["q", "phone", "kind", "category", "department", "region", "compliance", "period"]

    def __init__(self, *args, scope: Scope, default_period: Period, **kwargs):
        super().__init__(*args, **kwargs)
        self.default_period = default_period
        self.filters["department"].queryset = scope.departments()
        self.filters["region"].extra["queryset"] = scope.regions()

    @property
    def period_given(self) -> bool:
        return bool(self.is_bound and self.form.is_valid() and self.form.cleaned_data.get("period"))

    @property
    def chosen_period(self) -> Period:
        """The period the compliance filter and the export's 达标情况 are for: the one asked for, else the
        default (which the page then names as such)."""
        return self.form.cleaned_data["period"] if self.period_given else self.default_period

    def applied(self) -> list[tuple[str, str]]:
        """(label, value) of each filter applied, and the period, for the line above the rows."""
        shown: list[tuple[str, str]] = []
        cleaned = self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}
        for name, field in self.form.fields.items():
            value = cleaned.get(name)
            if name == "period" or value in (None, ""):
                continue
            if name == "phone":  # the page never shows a phone in clear, even the one searched for
                value = mask_phone(normalize_phone(value))
            if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
                value = dict(field.choices).get(value, value)
            shown.append((str(field.label), str(value)))
        period = self.chosen_period.label
        if not self.period_given:
            period = _("%(period)s (default)") % {"period": period}
        shown.append((str(self.form.fields["period"].label), period))
        return shown

    def audited_query(self) -> str:
        """The query string as the audit trail records it: a phone searched for is kept masked, as on the
        page (the trail never holds personal data in clear)."""
        if not self.is_bound:
            return ""
        query = self.data.copy()
        if query.get("phone"):
            query["phone"] = mask_phone(normalize_phone(query["phone"]))
        return query.urlencode(safe="*")

    def keep(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))

    def filter_phone(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(blind_q(Subject, "contact_phone", value))

    def filter_region(self, queryset: QuerySet, name: str, value: Region) -> QuerySet:
        return queryset.filter(subtree_q(value.path, via="region__"))

    def filter_compliance(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        period = self.chosen_period
        queryset = queryset.filter(active_q(period))
        return (
            queryset.exclude(failing_q(period))
            if value == "compliant"
            else queryset.filter(failing_q(period))
        )
