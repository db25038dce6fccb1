"""The post forms: short, one column, date pickers and a phone keypad, so they work one-handed at 375 px."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sanling.dictionary.models import EntryType
from sanling.dictionary.selectors import entry_choices
from sanling.personal.forms import MaskedFieldsMixin
from sanling.subjects.forms import RegionField

from .models import Post
from .selectors import linkable_users, scoped_sectors

POST_FIELDS = ("region", "sector", "post_type", "holder_name", "phone", "user", "started_on", "ended_on")


def _date_input() -> forms.DateInput:
    widget = forms.DateInput(format="%Y-%m-%d")
    widget.input_type = "date"
    return widget


class PostForm(MaskedFieldsMixin, forms.ModelForm):
    """Who holds a post where. The phone of a stored post starts masked; left as it is, it is kept."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    field_order = ["region", "post_type", "holder_name", "phone", "started_on", "ended_on", "user", "sector"]

    class Meta:
        model = Post
        fields = list(POST_FIELDS)
        widgets = {"started_on": _date_input(), "ended_on": _date_input()}

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope
        self.fields["region"] = RegionField(
            queryset=scope.regions(), label=_("Where (town, village, grid or building)")
        )
        stored_type = self.instance.post_type if self.instance.pk else ""
        self.fields["post_type"] = forms.ChoiceField(
            label=pgettext_lazy("grids", "Post"),
            choices=[("", "—"), *entry_choices(EntryType.POST_TYPE, keep=stored_type)],
        )
        self.fields["sector"].help_text = _(
            "Only for a sector's leader (一级网格长): the post is then at the town."
        )
        self.fields["sector"].queryset = scoped_sectors(scope)
        if not self.fields["sector"].queryset.exists() and not self.instance.sector_id:
            del self.fields["sector"]  # a town without sectors (片区) has no sector's post to record
        self.fields["user"].queryset = linkable_users(scope)
        self.fields["user"].help_text = _("The holder's own login, if they have one.")
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "off"})
        self.fields["holder_name"].widget.attrs["autocomplete"] = "off"
        if self.instance.pk:
            self.initial["region"] = self.instance.region.code
            self.fields["version"].initial = self.instance.version
            self.mask_initial()
        else:
            self.fields["started_on"].initial = timezone.localdate()
        self.order_fields(self.field_order)

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in POST_FIELDS if name in self.cleaned_data}


class PostEndForm(forms.Form):
    """The holder leaves the post: from this day on they no longer hold it."""

    ended_on = forms.DateField(label=_("Leaves on"), widget=_date_input())
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, post: Post, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].initial = timezone.localdate()
        self.fields["version"].initial = post.version
