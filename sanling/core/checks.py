"""System checks on stored data (``sanling check --database default``, and every ``migrate``)."""

from django.core.checks import Tags, Warning, register

from .validators import ref_problem

# (app label, model, field): every ref or code a user types and an address names.
REF_FIELDS = (
    ("events", "Event", "ref"),
    ("disputes", "Dispute", "ref"),
    ("subjects", "Subject", "code"),
    ("departments", "Department", "code"),
)
SHOWN = 5  # examples per model in the warning


@register(Tags.database)
def unsafe_refs_check(app_configs=None, databases=None, **kwargs) -> list[Warning]:
    """Refs and codes stored before they were restricted to a safe pattern (issue 14): listed, never changed,
    so an operator renames them through the usual edit or a corrected import."""
    from django.apps import apps
    from django.db import DatabaseError

    if not databases:
        return []
    warnings = []
    for app_label, model_name, field in REF_FIELDS:
        model = apps.get_model(app_label, model_name)
        try:
            # Values that can fit are found in SQL too costly to write portably; the stored refs are read as
            # one column and judged in Python (a county holds a few hundred thousand).
            bad = [
                value
                for value in model.objects.values_list(field, flat=True).iterator()
                if ref_problem(value)
            ]
        except DatabaseError:
            return []  # not migrated yet: migrate itself runs this check before creating the tables
        if bad:
            warnings.append(
                Warning(
                    f"{len(bad)} {model._meta.verbose_name_plural} have a {field} outside the safe pattern "
                    f"(letters, digits, 汉字, - _ .): {', '.join(bad[:SHOWN])}",
                    hint="Rename them (edit, or import a corrected bundle); their addresses do not work.",
                    obj=model,
                    id="sanling.W001",
                )
            )
    return warnings
