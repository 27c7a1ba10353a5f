"""The metric definition form: the same checks as the API (definitions.validate_definition)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from followthrough.metrics.definitions import validate_definition
from followthrough.metrics.models import Metric

DEFINITION_FIELDS = (
    "kind",
    "source",
    "date_basis",
    "measure",
    "filters",
    "numerator",
    "denominator",
    "scale",
)
# What an admin edits of a metric, in the form and through the API.
EDITABLE_FIELDS = (
    "key",
    "name",
    "description",
    *DEFINITION_FIELDS,
    "unit",
    "higher_is_better",
    "position",
)


def key_taken(org_id: int, key: str, pk: int | None) -> bool:
    return Metric.objects.filter(organisation_id=org_id, key=key).exclude(pk=pk).exists()


class MetricForm(forms.ModelForm):
    class Meta:
        model = Metric
        fields = list(EDITABLE_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "filters": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "filters": _('JSON, for example {"outcome": ["won"], "deal_type": ["upsell"]}.'),
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        others = Metric.objects.filter(organisation=organisation, kind__in=("count", "sum"))
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        for name in ("numerator", "denominator"):
            self.fields[name].queryset = others
            # Built-in metrics are named in the reader's language, as on every other page.
            self.fields[name].label_from_instance = lambda metric: metric.label
        if self.instance.builtin:
            # A built-in's definition is fixed by docs/metrics.md; its words may change.
            for name in ("key", *DEFINITION_FIELDS):
                self.fields[name].disabled = True

    def clean_key(self):
        key = self.cleaned_data["key"]
        if key_taken(self.organisation.pk, key, self.instance.pk):
            raise forms.ValidationError(_("Another metric already has this key."))
        return key

    def clean(self):
        data = super().clean()
        if any(name in self.errors for name in DEFINITION_FIELDS):
            return data
        errors = validate_definition(data, self.organisation.pk)
        for name, messages in errors.items():
            for message in messages:
                self.add_error(name, message)
        return data

    def save(self, commit: bool = True) -> Metric:
        self.instance.organisation = self.organisation
        return super().save(commit)
