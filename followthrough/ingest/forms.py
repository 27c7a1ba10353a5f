"""The upload form of a web import: kind, file, mapping and what to do with bad rows."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from followthrough.ingest import presets
from followthrough.ingest.kinds import KINDS
from followthrough.ingest.mapping import MappingError
from followthrough.ingest.uploads import (
    SUFFIXES,
    ChosenMapping,
    mapping_from_upload,
    preset_mapping,
)

KIND_LABELS = {
    "people": _("People, teams and managers"),
    "accounts": _("Accounts"),
    "products": _("Products"),
    "deals": _("Deals"),
    "activities": _("Activities"),
    "leads": _("Leads"),
    "deal-history": _("Deal stage history"),
}


class Mode:
    ALL_OR_NOTHING = "all"
    SKIP_INVALID = "skip"
    CHOICES = [
        (ALL_OR_NOTHING, _("All or nothing: if any row is invalid, write nothing")),
        (SKIP_INVALID, _("Skip invalid rows: write the valid rows, report the others")),
    ]


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=list(KIND_LABELS.items()))
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(SUFFIXES)}),
    )
    preset = forms.ChoiceField(
        label=_("Mapping preset"),
        required=False,
        help_text=_("A mapping shipped with Followthrough for a CRM's export."),
    )
    mapping_file = forms.FileField(
        label=_("Or your own mapping file (TOML)"),
        required=False,
        help_text=_("Says which column feeds which field; the import guide shows how."),
        widget=forms.ClearableFileInput(attrs={"accept": ".toml,text/plain"}),
    )
    mode = forms.ChoiceField(
        label=_("Invalid rows"),
        choices=Mode.CHOICES,
        initial=Mode.ALL_OR_NOTHING,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        grouped = presets.by_kind()
        self.fields["preset"].choices = [("", _("(none: I upload a mapping file)"))] + [
            (label, [(name, name) for name in grouped[kind]])
            for kind, label in KIND_LABELS.items()
            if kind in grouped
        ]
        self.fields["file"].help_text = _("CSV or Excel (.xlsx), at most %(size)s.") % {
            "size": filesizeformat(settings.UPLOAD_MAX_BYTES)
        }
        self.chosen: ChosenMapping | None = None

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("This file is %(size)s, over the limit of %(limit)s."),
                params={
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(settings.UPLOAD_MAX_BYTES),
                },
                code="too_large",
            )
        if Path(upload.name).suffix.lower() not in SUFFIXES:
            raise forms.ValidationError(
                _("Upload a CSV or Excel file (%(suffixes)s)."),
                params={"suffixes": ", ".join(SUFFIXES)},
                code="suffix",
            )
        return upload

    def clean(self):
        data = super().clean()
        kind, preset, upload = data.get("kind"), data.get("preset"), data.get("mapping_file")
        if kind not in KINDS:
            return data
        if preset and upload:
            self.add_error("mapping_file", _("Choose a preset or upload a mapping file, not both."))
            return data
        if not preset and not upload:
            self.add_error("preset", _("Choose a preset or upload a mapping file."))
            return data
        try:
            self.chosen = (
                preset_mapping(preset, kind) if preset else mapping_from_upload(upload, kind)
            )
        except MappingError as error:
            self.add_error(
                "preset" if preset else "mapping_file",
                forms.ValidationError(
                    _("This mapping cannot be used: %(problem)s"),
                    params={"problem": str(error)},
                    code="mapping",
                ),
            )
        return data

    @property
    def skip_invalid(self) -> bool:
        return self.cleaned_data["mode"] == Mode.SKIP_INVALID
