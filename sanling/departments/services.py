"""Writes of departments: a flat list, so a code and a name are all there is to check."""

from django.db import transaction

from sanling.audit.models import Action
from sanling.audit.services import audit_change, snapshot

from .models import Department


@transaction.atomic
def department_create(*, code: str, name: str) -> Department:
    """Add a supervising department; its code is how bundles and accounts refer to it."""
    department = Department(code=code.strip(), name=name.strip())
    department.full_clean()
    department.save()
    audit_change(Action.CREATE, after=department)
    return department


@transaction.atomic
def department_update(*, department: Department, name: str) -> Department:
    """Rename a department. Its code stays: bundles and other systems know it by that code."""
    department = Department.objects.select_for_update().get(pk=department.pk)
    before = snapshot(department)
    department.name = name.strip()
    department.full_clean()
    department.save(update_fields=["name"])
    audit_change(Action.UPDATE, before=before, after=department)
    return department
