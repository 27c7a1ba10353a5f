"""The hiring forecast's chart as inline SVG coordinates: capacity bars against the target
line, month by month, with the months hires start marked."""

from __future__ import annotations

from decimal import Decimal

from followthrough.diagnostics.hiring_plan import Plan
from followthrough.metrics.labels import format_value, short_period_label

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 16, 8, 24, 40  # room for the month labels below


def chart(plan: Plan, unit: str, currency: str = "") -> dict:
    months = plan.months
    peak = max([m.target for m in months] + [m.capacity for m in months] + [Decimal(1)])
    inner_w = WIDTH - LEFT - RIGHT
    inner_h = HEIGHT - TOP - BOTTOM
    slot = inner_w / max(1, len(months))
    bar_w = slot * 0.6
    base = TOP + inner_h

    def y(value: Decimal) -> float:
        return round(base - float(value / peak) * inner_h, 1)

    bars, target_points = [], []
    for index, month in enumerate(months):
        x = LEFT + index * slot
        top = y(month.capacity)
        bars.append(
            {
                "x": round(x + (slot - bar_w) / 2, 1),
                "y": top,
                "w": round(bar_w, 1),
                "h": round(base - top, 1),
                "short": month.gap > 0,
                "label": short_period_label(month.month),
                "label_x": round(x + slot / 2, 1),
                "capacity": format_value(month.capacity, unit, currency),
                "target": format_value(month.target, unit, currency),
                "starting": month.starting,
                "mark_y": round(top - 8, 1),
            }
        )
        target_points.append(
            f"{round(x, 1)},{y(month.target)} {round(x + slot, 1)},{y(month.target)}"
        )
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "base": base,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "label_y": base + 18,
        "bars": bars,
        "target": " ".join(target_points),
    }
