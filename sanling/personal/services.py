"""The one way to see personal data in clear: ``personal_unmask`` (one object) and
``personal_unmask_export`` (the rows of an export). Both ask ``may_unmask``, need a reason, and write an
audit entry with the reason, the object and the fields read, in the same transaction as the read."""

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from sanling.audit.models import Action
from sanling.audit.services import Change, audit_changes, natural_key, region_path_of

from .access import may_unmask
from .fields import personal_field, protected

REASON_MIN_LENGTH = 2
REASON_MAX_LENGTH = 160  # the audit entry's note holds 200: the reason and what an export was
UNMASKED = "personal.unmasked"


def clean_reason(reason: str | None) -> str:
    """The reason as the audit trail keeps it, or a Chinese ``ValidationError`` saying what is missing."""
    reason = " ".join((reason or "").split())
    if len(reason) < REASON_MIN_LENGTH:
        raise ValidationError({"reason": _("Say why you need to see the personal data in clear.")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": _("The reason is too long (at most 160 characters).")})
    return reason


def _allowed(user) -> None:
    if not may_unmask(user):
        raise PermissionDenied(_("You may not see personal data in clear."))


@transaction.atomic
def personal_unmask(*, user, instance: models.Model, fields: Sequence[str], reason: str) -> dict[str, str]:
    """The clear values of ``instance``'s personal ``fields``, for a user who may unmask them and says why.

    The read is audited (action ``read_contact``, verb ``personal.unmasked``): who, which object, which
    fields (masked, with a fingerprint), and the reason as the entry's note."""
    _allowed(user)
    reason = clean_reason(reason)
    model_name = instance._meta.model_name
    unknown = [name for name in fields if personal_field(model_name, name) is None]
    if unknown:
        raise ValueError(f"not personal fields of {model_name}: {unknown}")
    values = {name: getattr(instance, name) or "" for name in fields}
    audit_changes(
        [
            Change(
                Action.READ_CONTACT,
                model_name,
                natural_key(instance),
                region_path_of(instance),
                after=protected(model_name, values),
                note=reason,
                verb=UNMASKED,
            )
        ]
    )
    return values


@transaction.atomic
def personal_unmask_export(
    *, user, model: type[models.Model], count: int, reason: str, region_path: str = "", what: str = ""
) -> None:
    """Allow an export to write ``count`` rows of ``model`` with personal fields in clear: one audit entry
    for the whole export, noting what it was (``what``, e.g. "导出 120 个创建主体的 Excel") and the reason."""
    _allowed(user)
    reason = clean_reason(reason)
    audit_changes(
        [
            Change(
                Action.READ_CONTACT,
                model._meta.model_name,
                "export",
                region_path,
                after={"rows": count},
                note=f"{what}：{reason}"[:200] if what else reason,
                verb=UNMASKED,
            )
        ]
    )
