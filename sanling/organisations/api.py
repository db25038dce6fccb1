"""Organisations (综治中心, 矛调中心, 调委会, 信访办 …) over the API.

Everyone reads those in their scope: their subtree and the path above it, so a town sees the county bodies
it escalates to. Only a county administrator creates or changes one, and only inside their own subtree,
through ``organisation_create`` / ``organisation_update``.
"""

import django_filters
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from sanling.api.fields import ScopedSlugField
from sanling.api.views import RecordViewSet
from sanling.core.validators import REF_TAKEN
from sanling.departments.models import Department
from sanling.regions.models import Region

from .models import Organisation, OrganisationKind
from .services import organisation_create, organisation_update


class ScopedUserField(serializers.SlugRelatedField):
    """An account named by its login name, among those working in the caller's scope."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="username", **kwargs)

    def get_queryset(self):
        return self.context["view"].scope.members()


class OrganisationSerializer(serializers.ModelSerializer):
    region = ScopedSlugField(
        "regions", queryset=Region.objects.none(), help_text="the region code it stands at"
    )
    department = ScopedSlugField(
        "departments",
        queryset=Department.objects.none(),
        required=False,
        allow_null=True,
        help_text="department code (a department's office)",
    )
    head = ScopedUserField(
        queryset=get_user_model().objects.none(), required=False, allow_null=True, help_text="login name"
    )
    members = ScopedUserField(
        queryset=get_user_model().objects.none(), many=True, required=False, help_text="login names"
    )

    class Meta:
        model = Organisation
        fields = ["code", "name", "kind", "region", "department", "head", "members", "active", "version"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            self.fields["code"].read_only = True  # an organisation keeps its code for life
        for validator in self.fields["code"].validators:
            if isinstance(validator, UniqueValidator):
                validator.message = REF_TAKEN


class OrganisationFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=gettext_lazy("Kind"), choices=OrganisationKind.choices)
    active = django_filters.ChoiceFilter(
        label=gettext_lazy("Active"),
        choices=[("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))],
        method="filter_active",
    )

    class Meta:
        model = Organisation
        fields = ["kind", "active"]

    def filter_active(self, queryset, name: str, value: str):
        return queryset.filter(active=value == "yes") if value else queryset


class OrganisationViewSet(RecordViewSet):
    """Who handles work: the organisations placed in the region tree, and their members."""

    serializer_class = OrganisationSerializer
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"
    http_method_names = ["get", "post", "patch", "put", "head", "options"]
    filterset_class = OrganisationFilter
    ordering_fields = ["code", "name"]
    ordering = ["region__path", "kind", "code"]

    def get_queryset(self):
        return (
            self.scope.reachable_organisations()
            .select_related("region", "department", "head")
            .prefetch_related("members")
        )

    def _may_administer(self) -> None:
        if not self.scope.can_administer:
            raise PermissionDenied(_("Only a county administrator may create or change organisations."))

    def perform_create(self, serializer) -> None:
        self._may_administer()
        serializer.instance = organisation_create(**serializer.validated_data)

    def update(self, request, *args, **kwargs):
        organisation = self.get_object()  # 404 outside the scope, before anything else is said
        self._may_administer()
        if not self.scope.owned_organisations().filter(pk=organisation.pk).exists():
            raise PermissionDenied(_("This organisation stands above your part of the county."))
        return super().update(request, *args, **kwargs)

    def update_record(self, instance, version: int, changes: dict):
        return organisation_update(organisation=instance, version=version, **changes)
