"""The 1:1 agenda's "Early warnings" section (registered from DiagnosticsConfig.ready).

What the rep and manager should talk about from the diagnoses: each of the three rights
the rep is watched or needs help on (last complete month, with the reasons), and the
open deals the CRM hygiene rules flag. The agenda is shared with the rep, so integrity
signals never appear here: the manager finds them on the integrity page.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from followthrough.coaching.agenda import AgendaContext, register_section
from followthrough.diagnostics import hygiene, three_rights
from followthrough.diagnostics.findings import Status
from followthrough.lib.periods import PeriodKind, period_of, shift

RIGHT_NAMES = {
    "thing": gettext_lazy("Right thing"),
    "way": gettext_lazy("Right way"),
    "time": gettext_lazy("Right time"),
}


def early_warnings(ctx: AgendaContext) -> list[dict[str, Any]]:
    month = shift(period_of(PeriodKind.MONTH, ctx.until), -1)
    found = three_rights.assess(ctx.org, [ctx.rep], month, ctx.until).get(ctx.rep.pk)
    items: list[dict[str, Any]] = []
    rep_url = reverse("diagnostics_rep", args=[ctx.rep.pk]) + f"?period={month.key}"
    if found is not None:
        for key, name in RIGHT_NAMES.items():
            finding = getattr(found, key)
            if finding.status not in (Status.WATCH, Status.HELP):
                continue
            items.append(
                {
                    "text": _("%(right)s: %(status)s")
                    % {"right": name, "status": finding.status.label},
                    "detail": " ".join(str(reason) for reason in finding.reasons),
                    "url": f"{rep_url}#{key}",
                    "flags": [str(finding.status)],
                }
            )
    issues = hygiene.check(ctx.org, [ctx.rep.pk], ctx.until).get(ctx.rep.pk, [])
    deals = {issue.deal_id for issue in issues}
    if deals:
        items.append(
            {
                "text": ngettext(
                    "CRM hygiene: %(count)d open deal needs an update",
                    "CRM hygiene: %(count)d open deals need an update",
                    len(deals),
                )
                % {"count": len(deals)},
                "url": reverse("diagnostics_hygiene") + f"?person={ctx.rep.pk}",
            }
        )
    return items


register_section("early_warnings", gettext_lazy("Early warnings"), 27, early_warnings)
