"""Writes of the data dictionary, and the check every writer of a dispute uses."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sanling.audit.models import Action
from sanling.audit.services import audit_change, snapshot

from .models import Entry, EntryType
from .selectors import enabled_codes


@transaction.atomic
def entry_create(*, type: str, code: str, label: str, order: int = 0, enabled: bool = True) -> Entry:
    """Add a value to a list."""
    entry = Entry(type=type, code=code.strip(), label=label.strip(), order=order, enabled=enabled)
    entry.full_clean()
    entry.save()
    audit_change(Action.CREATE, after=entry)
    return entry


@transaction.atomic
def entry_update(*, entry: Entry, label: str, order: int, enabled: bool) -> Entry:
    """Relabel, reorder, disable or enable a value. Its code stays: records store it."""
    current = Entry.objects.select_for_update().get(pk=entry.pk)
    before = snapshot(current)
    current.label, current.order, current.enabled = label.strip(), order, enabled
    current.full_clean()
    current.save()
    audit_change(Action.UPDATE, before=before, after=current)
    return current


def check_choice(type: str, value: str, *, field: str, stored: str | None = None) -> None:
    """Refuse ``value`` unless it is an enabled code of the list, empty, or the value already ``stored``
    on the record being edited (values written before the list existed, or since disabled, stay valid
    until someone changes them)."""
    if not value or value == stored or value in enabled_codes(type):
        return
    raise ValidationError(
        {
            field: _("“%(value)s” is not in the list of %(list)s; choose one of the list (or 其他).")
            % {"value": value, "list": EntryType(type).label}
        }
    )
