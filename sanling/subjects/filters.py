"""The subject list's filters, shared by the list page, its Excel export and (later) the API."""

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from sanling.accounts.scope import departments_for, regions_for
from sanling.assessment.engine import policies_for
from sanling.assessment.models import ZEROS
from sanling.assessment.periods import Period
from sanling.events.models import Event

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


class SubjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or code"), method="filter_text")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Kind.choices)
    category = django_filters.ChoiceFilter(label=_("Category"), choices=Category.choices)
    department = django_filters.ModelChoiceFilter(label=_("Department"), queryset=None, to_field_name="code")
    region = django_filters.CharFilter(label=_("Region code"), method="filter_region")
    compliance = django_filters.ChoiceFilter(
        label=_("Compliance"),
        choices=[("compliant", _("Compliant")), ("failing", _("Not compliant"))],
        method="filter_compliance",
    )
    period = django_filters.CharFilter(label=_("Period"), method="keep")

    class Meta:
        model = Subject
        fields = ["q", "kind", "category", "department", "region", "compliance", "period"]

    def __init__(self, *args, user, default_period: Period, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.default_period = default_period
        self.filters["department"].queryset = departments_for(user)

    @property
    def chosen_period(self) -> Period:
        text = (self.data or {}).get("period")
        try:
            return Period.parse(text) if text else self.default_period
        except ValidationError:
            return self.default_period

    def keep(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))

    def filter_region(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        region = regions_for(self.user).filter(code=value).first()
        return queryset.filter(region__path__startswith=region.path) if region else queryset.none()

    def filter_compliance(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        period = self.chosen_period
        queryset = queryset.filter(active_q(period))
        return (
            queryset.exclude(failing_q(period))
            if value == "compliant"
            else queryset.filter(failing_q(period))
        )
