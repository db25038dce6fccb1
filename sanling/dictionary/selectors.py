"""Reads of the data dictionary."""

from .models import Entry, EntryType


def entry_choices(type: str, *, keep: str = "") -> list[tuple[str, str]]:
    """(code, label) of the enabled values of a list, in order; ``keep`` (a record's stored value) is
    offered too when it is no longer in the list, so editing an old record does not lose its value."""
    choices = list(Entry.objects.filter(type=type, enabled=True).values_list("code", "label"))
    if keep and keep not in {code for code, _label in choices}:
        label = Entry.objects.filter(type=type, code=keep).values_list("label", flat=True).first()
        choices.append((keep, label or keep))
    return choices


def enabled_codes(type: str) -> set[str]:
    return set(Entry.objects.filter(type=type, enabled=True).values_list("code", flat=True))


def dispute_category_choices(*, keep: str = "") -> list[tuple[str, str]]:
    return entry_choices(EntryType.DISPUTE_CATEGORY, keep=keep)
