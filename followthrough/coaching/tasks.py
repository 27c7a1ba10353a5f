"""The follow-through's background jobs (Huey finds them in this module); each part keeps its own."""

from followthrough.coaching.tasks_meetings import schedule_one_on_ones  # noqa: F401
