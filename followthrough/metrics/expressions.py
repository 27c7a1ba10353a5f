"""Database expressions the two supported databases spell differently."""

from __future__ import annotations

from django.db.models import F, Func, IntegerField


class DaysBetween(Func):
    """Whole days from the first date to the second (close date minus created date)."""

    output_field = IntegerField()

    def __init__(self, start: str, end: str):
        super().__init__(F(end), F(start))

    def as_sql(self, compiler, connection, **extra):
        end, end_params = compiler.compile(self.source_expressions[0])
        start, start_params = compiler.compile(self.source_expressions[1])
        # PostgreSQL: date - date is an integer number of days.
        return f"({end} - {start})", [*end_params, *start_params]

    def as_sqlite(self, compiler, connection, **extra):
        end, end_params = compiler.compile(self.source_expressions[0])
        start, start_params = compiler.compile(self.source_expressions[1])
        return (
            f"CAST(ROUND(julianday({end}) - julianday({start})) AS INTEGER)",
            [*end_params, *start_params],
        )
