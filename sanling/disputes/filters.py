"""The dispute list's filters, shared by the list page, its Excel export and the API."""

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from sanling.core.record_filters import DATE, RecordFilter, code_filter
from sanling.dictionary.selectors import dispute_category_choices
from sanling.regions.models import BELOW_VILLAGE_LEVELS, Region, subtree_q

from .models import Dispute, DisputeStatus

UNRESOLVED = "unresolved"
MINE = "mine"


class DisputeFilter(RecordFilter):
    date_field = "reported_on"

    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(UNRESOLVED, _("Not yet resolved")), *DisputeStatus.choices],
        method="filter_status",
    )
    category = django_filters.ChoiceFilter(label=_("Category"), choices=dispute_category_choices)
    reported_from = django_filters.DateFilter(
        label=_("From"), field_name="reported_on", lookup_expr="gte", widget=DATE
    )
    reported_to = django_filters.DateFilter(
        label=_("To"), field_name="reported_on", lookup_expr="lte", widget=DATE
    )
    # Where it was found (issue 15): one grid's subtree, or every grid the user holds a post in.
    grid = code_filter(_("Grid code"), method="filter_grid")
    my_grids = django_filters.ChoiceFilter(
        label=_("My grids"), choices=[(MINE, _("Found in my grids"))], method="filter_my_grids"
    )

    class Meta:
        model = Dispute
        fields = [
            "status",
            "category",
            "period",
            "region",
            "department",
            "subject",
            "reported_from",
            "reported_to",
            "grid",
            "my_grids",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["grid"].queryset = self.filters["region"].queryset.filter(level__in=BELOW_VILLAGE_LEVELS)

    def filter_grid(self, queryset: QuerySet, name: str, grid: Region | None) -> QuerySet:
        if grid is None:
            return queryset
        return queryset.filter(subtree_q(grid.path, via="grid__"))

    def filter_my_grids(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        from sanling.grids.selectors import grid_regions_of_user

        if value != MINE:
            return queryset
        user = getattr(self.request, "user", None)
        paths = list(grid_regions_of_user(user).values_list("path", flat=True)) if user else []
        condition = Q(pk__in=[])
        for path in paths:
            condition |= subtree_q(path, via="grid__")
        return queryset.filter(condition)

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == UNRESOLVED:  # 未化解: everything not (yet) resolved, escalated and failed included
            return queryset.exclude(status=DisputeStatus.RESOLVED)
        return queryset.filter(status=value)
