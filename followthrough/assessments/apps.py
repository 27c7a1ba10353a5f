from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "followthrough.assessments"
    verbose_name = _("Assessments")

    def ready(self) -> None:
        from followthrough.assessments import (
            focus_agenda,  # noqa: F401  (the agenda's focus areas)
            registrations,  # noqa: F401  (audit and owners)
            scorecard_ratings,  # noqa: F401  (scorecard panel)
        )
