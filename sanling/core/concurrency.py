"""Optimistic locking: every editable record carries a version that an edit must name."""

from django.db import models
from django.utils.translation import gettext as _


class StaleVersion(Exception):
    """Someone else saved the record after the editor loaded it; nothing was changed."""

    def __init__(self, current: int):
        self.current = current
        super().__init__(
            _(
                "Someone else changed this record while you were editing it (now version %(version)s). "
                "Reload it to see their change; your edit was not saved."
            )
            % {"version": current}
        )


def lock_for_edit(instance: models.Model, version: int | None) -> models.Model:
    """Lock the row of ``instance`` for the rest of the transaction and check the editor's version."""
    locked = type(instance).objects.select_for_update().get(pk=instance.pk)
    if version is not None and locked.version != version:
        raise StaleVersion(locked.version)
    return locked


def save_next_version(instance: models.Model) -> models.Model:
    """Validate ``instance`` and save it as its next version (the counter moves in the database, so two
    writers never both write version n+1), reading back what was saved."""
    instance.full_clean()
    instance.version = models.F("version") + 1
    instance.save()
    instance.refresh_from_db()
    return instance
