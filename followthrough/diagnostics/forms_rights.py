"""Forms: a team's thresholds and the product-mix targets its leader sets."""

from __future__ import annotations

from django import forms

from followthrough.diagnostics.models import DiagnosticSettings, MixTarget


class ThresholdsForm(forms.ModelForm):
    class Meta:
        model = DiagnosticSettings
        fields = [
            "watch_below",
            "help_below",
            "channel_share",
            "mix_tolerance",
            "gap_watch",
            "gap_help",
            "stale_days",
            "long_open_factor",
            "push_count",
            "late_quarter_days",
            "edits_before_review",
            "bulk_count",
            "bulk_late_days",
        ]

    def clean(self):
        data = super().clean()
        pairs = (("help_below", "watch_below"), ("gap_watch", "gap_help"))
        for low, high in pairs:
            if data.get(low) is not None and data.get(high) is not None:
                if data[low] > data[high]:
                    self.add_error(low, forms.ValidationError(self._order_message(low, high)))
        return data

    def _order_message(self, low: str, high: str) -> str:
        from django.utils.translation import gettext as _

        return _("Must not be more than “%(other)s”.") % {
            "other": self.fields[high].label,
        }


class MixTargetForm(forms.ModelForm):
    class Meta:
        model = MixTarget
        fields = ["dimension", "value", "share", "note"]
