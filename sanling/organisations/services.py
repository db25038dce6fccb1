"""Writes of organisations and their members (one write path: pages, API, importer, admin and demo)."""

from django.db import transaction

from sanling.audit.models import Action
from sanling.audit.services import audit_change, snapshot
from sanling.core.concurrency import lock_for_edit, save_next_version

from .models import Organisation

EDITABLE = ("name", "kind", "region", "department", "head", "active")


@transaction.atomic
def organisation_create(*, code: str, name: str, kind: str, region, members=(), **fields) -> Organisation:
    """Place an organisation in the region tree, with its members."""
    organisation = Organisation(code=code.strip(), name=name.strip(), kind=kind, region=region, **fields)
    organisation.full_clean()
    organisation.save()
    if members:
        organisation.members.set(members)
    audit_change(Action.CREATE, after=organisation)
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, version: int | None, **changes) -> Organisation:
    """Rename, move, re-head or deactivate an organisation; a stale ``version`` changes nothing."""
    unknown = set(changes) - set(EDITABLE) - {"members"}
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    current = lock_for_edit(organisation, version)
    before = snapshot(current)
    members = changes.pop("members", None)
    for name, value in changes.items():
        setattr(current, name, value)
    save_next_version(current)
    if members is not None:
        current.members.set(members)
    audit_change(Action.UPDATE, before=before, after=current)
    return current
