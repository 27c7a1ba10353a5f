"""Forms of rubrics and scorecard templates: field-level refusals, the same rules as the API."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from followthrough.assessments import rubric_editing, versions
from followthrough.assessments.models import Competency, Rubric, RubricSection, ScorecardTemplate
from followthrough.assessments.texts import shown
from followthrough.metrics.engine import get_metrics
from followthrough.people.models import Person


def add_errors(form: forms.Form, error: ValidationError) -> None:
    """A rule's refusal onto the form: on its field when the form has one."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, messages in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages)


def metric_choices(org) -> list[tuple[str, str]]:
    return [(m.key, m.label) for m in get_metrics(org).values()]


class RubricForm(forms.Form):
    """A new rubric (blank or a copy of the starter), or a rubric's name and description."""

    BLANK, STARTER = "blank", "starter"

    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    start = forms.ChoiceField(
        label=_("Start from"),
        choices=[(BLANK, _("A blank rubric")), (STARTER, _("A copy of the starter rubric"))],
        initial=STARTER,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, org, rubric: Rubric | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.org, self.rubric = org, rubric
        if rubric is not None:
            del self.fields["start"]
            self.initial.setdefault("name", shown(rubric.name))
            self.initial.setdefault("description", shown(rubric.description))

    def save(self) -> Rubric:
        data = self.cleaned_data
        if self.rubric is not None:
            # An unchanged starter text stays the msgid, so it keeps being translated.
            name, description = data["name"], data["description"]
            if name == shown(self.rubric.name):
                name = self.rubric.name
            if description == shown(self.rubric.description):
                description = self.rubric.description
            return rubric_editing.update_rubric(self.rubric, name=name, description=description)
        return rubric_editing.create_rubric(
            self.org,
            name=data["name"],
            description=data["description"],
            from_starter=data["start"] == self.STARTER,
        )


class SectionForm(forms.Form):
    name = forms.CharField(label=_("Sales step"), max_length=200)


class LevelsForm(forms.Form):
    levels = forms.CharField(
        label=_("Levels"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "One per line, lowest first, as “key: label” (for example “meets: Meets expectations”). "
            "Keys are what ratings store: a key in use stays; its label may change."
        ),
    )

    def __init__(self, *args, rubric: Rubric, **kwargs):
        super().__init__(*args, **kwargs)
        self.rubric = rubric
        self.initial.setdefault(
            "levels",
            rubric_editing.levels_text(
                [{"key": lv["key"], "label": shown(lv["label"])} for lv in rubric.levels]
            ),
        )

    def clean_levels(self):
        try:
            return rubric_editing.check_levels(
                rubric_editing.parse_levels(self.cleaned_data["levels"])
            )
        except ValidationError as error:
            raise ValidationError(error.message_dict["levels"]) from None

    def save(self) -> Rubric:
        return rubric_editing.set_levels(self.rubric, self.cleaned_data["levels"])


class CompetencyForm(forms.Form):
    """A competency: its sales step, name, the behaviours at each level, the metric that should move."""

    section = forms.TypedChoiceField(label=_("Sales step"), coerce=int)
    name = forms.CharField(label=_("Competency"), max_length=200)
    metric_key = forms.ChoiceField(
        label=_("Metric that should move"),
        required=False,
        help_text=_("Where one exists: the metric that improving this competency should move."),
    )

    def __init__(self, *args, rubric: Rubric, competency: Competency | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.rubric, self.competency = rubric, competency
        self.sections = {s.pk: s for s in rubric.sections.order_by("position", "pk")}
        self.fields["section"].choices = [(pk, shown(s.name)) for pk, s in self.sections.items()]
        self.catalog = get_metrics(rubric.organisation)
        self.fields["metric_key"].choices = [
            ("", "---------"),
            *metric_choices(rubric.organisation),
        ]
        for level in rubric.levels:
            self.fields[f"behaviour_{level['key']}"] = forms.CharField(
                label=shown(level["label"]),
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        if competency is not None:
            self.initial.setdefault("section", competency.section_id)
            self.initial.setdefault("name", shown(competency.name))
            self.initial.setdefault("metric_key", competency.metric_key)
            for level in rubric.levels:
                text = competency.behaviours.get(level["key"], "")
                self.initial.setdefault(f"behaviour_{level['key']}", shown(text))

    def behaviour_fields(self):
        return [self[f"behaviour_{level['key']}"] for level in self.rubric.levels]

    def _behaviours(self) -> dict[str, str]:
        found = {}
        for level in self.rubric.levels:
            text = self.cleaned_data.get(f"behaviour_{level['key']}", "")
            original = (self.competency.behaviours if self.competency else {}).get(level["key"], "")
            # An unchanged starter text stays the msgid, so it keeps being translated.
            found[level["key"]] = original if text == shown(original) and original else text
        return found

    def save(self) -> Competency:
        data = self.cleaned_data
        section = self.sections[data["section"]]
        name = data["name"]
        if self.competency is not None and name == shown(self.competency.name):
            name = self.competency.name
        kwargs = {
            "name": name,
            "behaviours": self._behaviours(),
            "metric_key": data["metric_key"],
            "catalog": self.catalog,
        }
        if self.competency is None:
            return rubric_editing.add_competency(section, **kwargs)
        return rubric_editing.edit_competency(self.competency, section=section, **kwargs)


def _weight_field(label) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal(0),
        max_digits=8,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "any", "min": "0", "class": "weight"}),
    )


class TemplateForm(forms.Form):
    """A new template, or the next version of one: KPIs with weights, competency weights."""

    name = forms.CharField(label=_("Name"), max_length=200)
    job_title = forms.CharField(
        label=_("Job title"),
        max_length=200,
        required=False,
        help_text=_("People with exactly this title use the template. Empty: everyone else."),
    )
    rubric = forms.TypedChoiceField(label=_("Rubric"), coerce=int)
    kpis = forms.MultipleChoiceField(
        label=_("KPIs"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, org, by: Person, current: ScorecardTemplate | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.org, self.by, self.current = org, by, current
        self.rubrics = {r.pk: r for r in Rubric.objects.filter(organisation=org)}
        self.fields["rubric"].choices = [(pk, shown(r.name)) for pk, r in self.rubrics.items()]
        self.metrics = metric_choices(org)
        self.fields["kpis"].choices = self.metrics
        for key, label in self.metrics:
            self.fields[f"kpi_weight_{key}"] = _weight_field(label)
        rubric_id = self._rubric_id()
        self.competencies = list(
            Competency.objects.filter(section__rubric_id=rubric_id, is_active=True)
            .select_related("section")
            .order_by("section__position", "section_id", "position", "pk")
        )
        for c in self.competencies:
            self.fields[f"competency_weight_{c.pk}"] = _weight_field(shown(c.name))
        if current is not None:
            self.initial.setdefault("name", current.name)
            self.initial.setdefault("job_title", current.job_title)
            self.initial.setdefault("rubric", current.rubric_id)
            self.initial.setdefault("kpis", [k["metric"] for k in current.kpis])
            for k in current.kpis:
                self.initial.setdefault(f"kpi_weight_{k['metric']}", k.get("weight") or None)
            for c in current.competencies:
                self.initial.setdefault(f"competency_weight_{c['id']}", c.get("weight") or None)

    def _rubric_id(self) -> int | None:
        raw = self.data.get("rubric") if self.is_bound else None
        if raw and str(raw).isdigit() and int(raw) in self.rubrics:
            return int(raw)
        if self.current is not None:
            return self.current.rubric_id
        return next(iter(self.rubrics), None)

    def kpi_rows(self):
        chosen = set(self["kpis"].value() or [])
        return [
            (key, label, key in chosen, self[f"kpi_weight_{key}"]) for key, label in self.metrics
        ]

    def competency_rows(self):
        return [(c, self[f"competency_weight_{c.pk}"]) for c in self.competencies]

    def clean(self):
        data = super().clean()
        title = (data.get("job_title") or "").strip()
        data["job_title"] = title
        others = ScorecardTemplate.objects.filter(
            organisation=self.org, is_current=True, job_title=title
        )
        if self.current is not None:
            others = others.exclude(family=self.current.family)
        if "job_title" not in self.errors and others.exists():
            self.add_error(
                "job_title",
                _("Another template already applies to this job title: edit that one."),
            )
        return data

    def save(self) -> ScorecardTemplate:
        data = self.cleaned_data

        def text(value) -> str:
            return "" if value is None else format(value.normalize(), "f")

        kpis = [
            {"metric": key, "weight": text(data.get(f"kpi_weight_{key}"))}
            for key, _label in self.metrics
            if key in data["kpis"]
        ]
        weights = {
            c.pk: text(data.get(f"competency_weight_{c.pk}"))
            for c in self.competencies
            if data.get(f"competency_weight_{c.pk}") is not None
        }
        return versions.publish(
            rubric=self.rubrics[data["rubric"]],
            name=data["name"].strip(),
            job_title=data["job_title"],
            kpis=kpis,
            competency_weights=weights,
            family=self.current,
            by=self.by,
        )


class SectionMoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])


def section_of(rubric: Rubric, pk) -> RubricSection | None:
    return RubricSection.objects.filter(rubric=rubric, pk=pk).first()
