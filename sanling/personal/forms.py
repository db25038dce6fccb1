"""Forms that show personal fields masked, and the reason box of the unmask form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .fields import PERSONAL_FIELDS
from .services import REASON_MAX_LENGTH


def keep_if_masked(model_name: str, name: str, value: str, stored: str) -> str:
    """``stored`` when ``value`` is its mask (an edit form or an export coming back untouched), else
    ``value``: a masked box left as it was never overwrites the value behind it."""
    field = PERSONAL_FIELDS.get(model_name, {}).get(name)
    if field is not None and stored and value == field.mask(stored):
        return stored
    return value


class MaskedFieldsMixin:
    """For a ``ModelForm`` editing a stored object: its personal fields start as their masks, and a mask
    sent back unchanged keeps the stored value, so editing a record needs no unmasking."""

    def _personal_fields(self) -> list[str]:
        personal = PERSONAL_FIELDS.get(self._meta.model._meta.model_name, {})
        return [name for name in self.fields if name in personal]

    def mask_initial(self) -> None:
        if not self.instance.pk:
            return
        for name in self._personal_fields():
            stored = getattr(self.instance, name) or ""
            self.initial[name] = PERSONAL_FIELDS[self.instance._meta.model_name][name].mask(stored)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:  # still as loaded: the form's values reach it only after clean()
            model_name = self.instance._meta.model_name
            for name in self._personal_fields():
                if name in cleaned:
                    stored = getattr(self.instance, name) or ""
                    cleaned[name] = keep_if_masked(model_name, name, cleaned[name], stored)
        return cleaned


class UnmaskForm(forms.Form):
    """Why the user needs to see the personal data in clear; kept in the audit trail."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        min_length=2,
        help_text=_("Why you need to see the personal data in clear (kept in the audit trail)."),
    )
