"""The time-to-ramp chart, drawn on the server as SVG (no script needed to read it).

Per cohort, a bar for the median days to ramp and a dot per person ramped; the
template draws the shapes from the plain numbers computed here.
"""

from __future__ import annotations

from collections.abc import Sequence

from followthrough.programs.progress import Cohort

WIDTH, ROW, LEFT, RIGHT, TOP = 640, 44, 96, 24, 28
TICKS = 5


def cohort_label(cohort: Cohort) -> str:
    return f"{cohort.start.year} Q{(cohort.start.month - 1) // 3 + 1}"


def _nice_max(value: float) -> int:
    for step in (30, 60, 90, 120, 180, 270, 365, 540, 730):
        if value <= step:
            return step
    return int(value) + 1


def ramp_chart(cohorts: Sequence[Cohort]) -> dict:
    """Shapes in SVG units: bars for medians, dots for people, ticks for days."""
    days = [r.days for c in cohorts for r in c.ramped]
    if not days:
        return {}
    top = _nice_max(max(days))
    span = WIDTH - LEFT - RIGHT

    def x(value: float) -> float:
        return round(LEFT + span * value / top, 1)

    rows = []
    for index, cohort in enumerate(cohorts):
        y = TOP + index * ROW
        median = cohort.median_days
        rows.append(
            {
                "label": cohort_label(cohort),
                "y": y,
                "text_y": y + ROW / 2 + 4,
                "bar_y": y + 10,
                "bar_h": ROW - 20,
                "bar_w": round(x(median) - LEFT, 1) if median is not None else 0,
                "median": median,
                "median_x": x(median) + 6 if median is not None else LEFT + 6,
                "dots": [
                    {
                        "cx": x(r.days),
                        "cy": y + ROW / 2,
                        "name": r.enrolment.person.name,
                        "days": r.days,
                    }
                    for r in cohort.ramped
                ],
                "waiting": len(cohort.people) - len(cohort.ramped),
            }
        )
    height = TOP + ROW * len(cohorts) + 8
    ticks = [{"x": x(top * i / TICKS), "label": round(top * i / TICKS)} for i in range(TICKS + 1)]
    return {
        "width": WIDTH,
        "height": height,
        "left": LEFT,
        "top": TOP,
        "bottom": height - 8,
        "rows": rows,
        "ticks": ticks,
    }
