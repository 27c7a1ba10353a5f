"""Early warnings: the three rights, the pipeline gap a shortfall will cause (with its
backtest), CRM hygiene, data-integrity signals and the hiring forecast.

Everything here is computed from the facts and the goals when it is asked for,
set-based over the people in view (docs/diagnostics.md defines every rule); the
nightly job (diagnose.py) runs it for the whole organisation and keeps the
hygiene score's history.
"""
