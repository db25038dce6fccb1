"""Industry departments (行业部门) over the API, read only."""

import django_filters
from rest_framework import mixins, serializers, viewsets

from sanling.accounts.scope import request_scope
from sanling.api.views import ApiView

from .models import Department


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["code", "name"]


class DepartmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="name contains")

    class Meta:
        model = Department
        fields = ["q"]


class DepartmentViewSet(ApiView, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The departments that supervise enterprises and institutions."""

    serializer_class = DepartmentSerializer
    filterset_class = DepartmentFilter
    lookup_field = "code"
    ordering_fields = ["code", "name"]
    ordering = ["code"]

    def get_queryset(self):
        return request_scope(self.request).departments()
