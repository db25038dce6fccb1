"""The audit trail as people read it: object types, verbs and field names in Chinese, each changed field
as before → after."""

import json
from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanling.personal.fields import EncryptedCharField

from .models import AuditEntry

# What happened, when it says more than created / changed / deleted (``AuditEntry.verb``).
VERBS = {
    "region.moved": gettext_lazy("Region moved"),
    "subject.moved": gettext_lazy("Subject moved"),
    "event.status_changed": gettext_lazy("Status changed"),
    "dispute.status_changed": gettext_lazy("Status changed"),
    "import.applied": gettext_lazy("Imported"),
    "audit.chain_opened": gettext_lazy("Audit chain opened"),
    "audit.keyed": gettext_lazy("Audit chain keyed"),
    "demo.loaded": gettext_lazy("Demo data loaded"),
    # Authentication events (sanling.accounts.events.auth_event)
    "login.succeeded": gettext_lazy("Logged in"),
    "login.failed": gettext_lazy("Login failed"),
    "logout": gettext_lazy("Logged out"),
    "lockout.account": gettext_lazy("Account locked"),
    "lockout.source": gettext_lazy("Source address locked"),
    "lockout.cleared": gettext_lazy("Lockout lifted"),
    "password.changed": gettext_lazy("Password changed"),
    "otp.enrolled": gettext_lazy("Two-factor authentication enrolled"),
    "otp.removed": gettext_lazy("Two-factor authentication removed"),
    "otp.recovery_code_used": gettext_lazy("Recovery code used"),
    "auth.break_glass_login": gettext_lazy("Break-glass login (superuser)"),
    # Accounts (三权分立: the system administrator creates, disables and resets; the security one grants)
    "account.created": gettext_lazy("Account created"),
    "account.disabled": gettext_lazy("Account disabled"),
    "account.password_reset": gettext_lazy("Password reset by an administrator"),
    "account.granted": gettext_lazy("Role granted"),
    "token.created": gettext_lazy("API token created"),
    "token.revoked": gettext_lazy("API token revoked"),
    "export.subjects": gettext_lazy("Subjects exported"),
    "export.events": gettext_lazy("Events exported"),
    "export.disputes": gettext_lazy("Disputes exported"),
    "export.bundle": gettext_lazy("Bundle exported"),
    "backup.created": gettext_lazy("Database backed up"),
    "backup.restored": gettext_lazy("Database restored"),
    "personal.unmasked": gettext_lazy("Personal data unmasked"),
    "personal.key_rotated": gettext_lazy("Data key rotated"),
    # Casework (issue 17): a petition's or agency case's step; a case's steps are "work.<action>" below.
    "petition.step": gettext_lazy("Petition step"),
    "agency.step": gettext_lazy("Agency case step"),
    "attachment.added": gettext_lazy("Evidence attached"),
    "dispute.history_loaded": gettext_lazy("Dispute loaded with its history"),
    # Fieldwork (issue 15): the 走访台账
    "export.visits": gettext_lazy("Household visits exported"),
    # Hazards (issue 15): the moves of a hazard's case, and a hazards.csv row changing one.
    "hazard.rectify": gettext_lazy("Rectification recorded"),
    "hazard.request_recheck": gettext_lazy("Re-check requested"),
    "hazard.recheck_pass": gettext_lazy("Re-check passed"),
    "hazard.recheck_fail": gettext_lazy("Re-check failed: back to rectification"),
    "hazard.imported": gettext_lazy("Hazard changed by an import"),
    "export.hazards": gettext_lazy("Hazards exported"),
    # Supervision and reports (issue 16)
    "assignment.fed_back": gettext_lazy("Assignment fed back"),
    "assignment.evidence_added": gettext_lazy("Assignment evidence attached"),
    "assignment.accepted": gettext_lazy("Assignment accepted"),
    "assignment.returned": gettext_lazy("Assignment returned"),
    "letter.proposed": gettext_lazy("Letter proposed"),
    "letter.issued": gettext_lazy("Letter issued"),
    "letter.declined": gettext_lazy("Letter declined"),
    "letter.acknowledged": gettext_lazy("Letter acknowledged"),
    "letter.responded": gettext_lazy("Letter answered"),
    "monthly_review.refreshed": gettext_lazy("Monthly review refreshed"),
    "monthly_review.finalised": gettext_lazy("Monthly review finalised"),
    "report.sent": gettext_lazy("Report sent"),
    "warning_rule_set.closed": gettext_lazy("Warning rule version ended"),
    "warning_rule_set.thresholds_changed": gettext_lazy("Warning thresholds changed"),
}
# Object types that are no model.
OBJECT_TYPES = {
    "auditchain": gettext_lazy("audit chain"),
    "demo": gettext_lazy("demo data"),
    "address": gettext_lazy("source address"),
    "export": gettext_lazy("export"),
    "backup": gettext_lazy("backup"),
    "datakey": gettext_lazy("data key"),
}


@dataclass
class FieldChange:
    label: str
    before: str | None  # None: the field had no value before (a create)
    after: str | None  # None: the field has no value after (a delete)


@cache
def _models() -> dict[str, type[models.Model]]:
    return {model._meta.model_name: model for model in apps.get_models()}


def object_type_label(object_type: str) -> str:
    model = _models().get(object_type)
    return str(model._meta.verbose_name if model else OBJECT_TYPES.get(object_type, object_type))


def verb_label(verb: str) -> str:
    if verb.startswith("work.") and verb not in VERBS:
        from sanling.work.selectors import ACTION_LABELS

        action = ACTION_LABELS.get(verb.removeprefix("work."))
        return str(action) if action is not None else verb
    return str(VERBS.get(verb, verb))


def _field(model: type[models.Model] | None, name: str) -> models.Field | None:
    try:
        return model._meta.get_field(name) if model else None
    except Exception:  # a field since removed, or no field of the model
        return None


def value_text(field: models.Field | None, value: object) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, dict) and "masked" in value:  # a personal field, kept masked (sanling.personal)
        return str(value["masked"])
    if isinstance(field, EncryptedCharField) and isinstance(value, str):
        return field.mask(value)  # an entry written before personal fields were masked: shown masked
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def field_changes(entry: AuditEntry) -> list[FieldChange]:
    """Each field the entry records, labelled by its model's verbose name, in the model's field order."""
    model = _models().get(entry.object_type)
    before, after = entry.changes.get("before") or {}, entry.changes.get("after") or {}
    order = {field.name: number for number, field in enumerate(model._meta.fields)} if model else {}
    names = sorted(before.keys() | after.keys(), key=lambda name: (order.get(name, len(order)), name))
    rows = []
    for name in names:
        field = _field(model, name)
        rows.append(
            FieldChange(
                str(field.verbose_name) if field is not None else name,
                value_text(field, before[name]) if name in before else None,
                value_text(field, after[name]) if name in after else None,
            )
        )
    return rows


def readable(entries) -> list[AuditEntry]:
    """``entries`` with ``type_label``, ``verb_label`` and ``field_changes`` set for the page."""
    shown = list(entries)
    for entry in shown:
        entry.type_label = object_type_label(entry.object_type)
        entry.verb_label = verb_label(entry.verb) if entry.verb else ""
        entry.field_changes = field_changes(entry)
    return shown
