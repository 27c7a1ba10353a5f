"""The hiring forecast's assumptions, as a leader or admin edits them (empty: use the measured value)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from followthrough.diagnostics.hiring import METRICS
from followthrough.diagnostics.models import HiringAssumptions
from followthrough.goals.catalog import metrics_of


class HiringAssumptionsForm(forms.ModelForm):
    class Meta:
        model = HiringAssumptions
        fields = [
            "metric_key",
            "annual_target",
            "growth",
            "productivity",
            "ramp_months",
            "attrition",
            "lead_months",
        ]
        help_texts = {
            "annual_target": _(
                "Empty: the team's goals for the year, else the last twelve months plus growth."
            ),
            "growth": _("Used only when the target comes from the last twelve months."),
            "productivity": _("Empty: the measured median of the team's ramped reps."),
            "ramp_months": _("Empty: measured from past hires."),
            "attrition": _("Empty: measured from the last twelve months."),
        }

    def __init__(self, *args, org, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        metrics = metrics_of(org)
        self.fields["metric_key"] = forms.ChoiceField(
            label=_("Plan on"),
            choices=[(key, metrics[key].label) for key in METRICS if key in metrics],
        )
