from django import forms

from sanling.core.forms import RecordForm
from sanling.dictionary.selectors import dispute_category_choices

from .models import DISPUTE_FIELDS, Dispute


class DisputeForm(RecordForm):
    field_order = ["subject_code", "reported_on", "category", "summary"]

    class Meta:
        model = Dispute
        fields = list(DISPUTE_FIELDS)
        widgets = {
            "reported_on": forms.DateInput(),
            "resolved_on": forms.DateInput(),
            "summary": forms.Textarea,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The county's list; a record's old free-text category stays offered until someone changes it.
        category = self.fields["category"]
        self.fields["category"] = forms.ChoiceField(
            label=category.label,
            required=False,
            choices=[("", "—"), *dispute_category_choices(keep=self.instance.category or "")],
        )
