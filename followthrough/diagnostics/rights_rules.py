"""The arithmetic of the right thing and the right way, on plain numbers (no database).

docs/diagnostics.md ("The three rights") states every rule; the constants below are
the parts of it that are not team settings, each with the reason for its value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format

from followthrough.diagnostics.findings import Status

ZERO = Decimal(0)
HUNDRED = Decimal(100)

# A rep's own conversion rates are used once their last six months hold at least this
# many new-business wins; with fewer, one lucky or unlucky deal moves the rate by a
# fifth or more, so the team's rates stand in (and the page says so).
MIN_OWN_WINS = 5
# A channel's meetings per 100 is judged from this many cold touches in the quarter: fewer
# are too few for a rate to mean anything.
MIN_CHANNEL_TOUCHES = 50
# A rate (or a count of new deals) is only called low when the shortfall is more than
# chance explains: more than two standard deviations of a Poisson count of the expected
# size. Meetings and new deals are small counts; without this, steady reps with an
# unlucky month would be flagged.
CHANCE_SIGMAS = 2
# The need is sized at the favourable end of the measured rates: six months hold a
# handful of won deals, so the deals won per cold touch is uncertain by about the
# square root of their number. Counting one standard deviation more wins gives the
# rep the benefit of that doubt; a steady rep one won deal short of a rounded target
# is not flagged, a rep who stops prospecting still is.
FAVOURABLE_SIGMAS = 1
# A rep's product mix is judged on at least this many won deals in six months.
MIN_MIX_DEALS = 10


class Num:
    """A number put into words in the reader's language when shown (not when computed)."""

    def __init__(self, value: Decimal | int | float, places: int = 0) -> None:
        self.value = Decimal(str(value))
        self.places = places

    def __str__(self) -> str:
        step = Decimal(1).scaleb(-self.places)
        rounded = self.value.quantize(step, rounding=ROUND_HALF_UP)
        return number_format(rounded, self.places, use_l10n=True, force_grouping=True)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Num) and (self.value, self.places) == (other.value, other.places)

    def __hash__(self) -> int:
        return hash((self.value, self.places))

    def __repr__(self) -> str:
        return f"Num({self.value}, {self.places})"


def ratio(part: Decimal, whole: Decimal) -> Decimal | None:
    return None if not whole else Decimal(part) / Decimal(whole)


def by_share(share: Decimal, watch_below: Decimal, help_below: Decimal) -> Status:
    """A share of what is needed (1 = all of it) against the team's thresholds (in %)."""
    percent = share * HUNDRED
    if percent < help_below:
        return Status.HELP
    if percent < watch_below:
        return Status.WATCH
    return Status.OK


def beyond_chance(actual: Decimal, expected: Decimal) -> bool:
    """Is `actual` below `expected` by more than chance explains for a count?"""
    expected = Decimal(expected)
    if expected <= 0:
        return False
    return expected - Decimal(actual) > CHANCE_SIGMAS * Decimal(math.sqrt(expected))


@dataclass(frozen=True)
class Rates:
    """Six months of a rep's (or team's) results: what prospecting turned into."""

    prospecting: Decimal  # cold calls + cold e-mails
    created: Decimal  # new-business deals created
    won_new: Decimal  # new-business deals won
    won: Decimal  # all deals won (the target counts these)

    @property
    def enough(self) -> bool:
        return self.won_new >= MIN_OWN_WINS and self.created > 0 and self.prospecting > 0

    @property
    def deals_per_100(self) -> Decimal | None:
        """New deals per 100 cold calls and e-mails."""
        found = ratio(self.created, self.prospecting)
        return None if found is None else found * HUNDRED

    @property
    def win_rate(self) -> Decimal | None:
        """New-business deals won per new deal created."""
        return ratio(self.won_new, self.created)

    @property
    def new_share(self) -> Decimal | None:
        """The share of won deals that are new business (renewals and upsells need no prospecting)."""
        return ratio(self.won_new, self.won)

    def need(self, target_wins: Decimal) -> tuple[Decimal, Decimal] | None:
        """(new deals, prospecting) a target of won deals needs at these rates."""
        if not (self.won and self.created and self.prospecting):
            return None
        won = self.won + FAVOURABLE_SIGMAS * Decimal(math.sqrt(self.won))
        return target_wins * self.created / won, target_wins * self.prospecting / won


@dataclass(frozen=True)
class Channel:
    """A quarter of one cold channel: touches and the first meetings they booked."""

    touches: Decimal
    meetings: Decimal

    @property
    def per_100(self) -> Decimal | None:
        found = ratio(self.meetings, self.touches)
        return None if found is None else found * HUNDRED


def channel_rate_status(
    rep: Channel, team: Channel, watch_below: Decimal, help_below: Decimal
) -> tuple[Status, Decimal | None]:
    """The rep's meetings per 100 against the team's: (status, rep's rate as a share of it)."""
    team_rate = team.per_100
    if rep.touches < MIN_CHANNEL_TOUCHES or not team_rate:
        return Status.UNKNOWN, None
    share = rep.per_100 / team_rate
    expected = rep.touches * team_rate / HUNDRED
    if not beyond_chance(rep.meetings, expected):
        return Status.OK, share
    return by_share(share, watch_below, help_below), share


def channel_mix_status(
    calls: Channel,
    emails: Channel,
    team_calls: Channel,
    team_emails: Channel,
    channel_share: Decimal,
    help_below: Decimal,
) -> tuple[Status, str | None, Decimal | None]:
    """(status, the weaker channel "calls"/"emails", the rep's share of outreach in it).

    Flagged when at least `channel_share` % of the rep's cold outreach goes through the
    channel that books fewer meetings per 100 for the team; needs help when that
    channel books less than `help_below` % of the other's.
    """
    total = calls.touches + emails.touches
    call_rate, email_rate = team_calls.per_100, team_emails.per_100
    if total < MIN_CHANNEL_TOUCHES or call_rate is None or email_rate is None:
        return Status.UNKNOWN, None, None
    if call_rate == email_rate:
        return Status.OK, None, None
    weaker = "emails" if email_rate < call_rate else "calls"
    weak, strong = sorted((call_rate, email_rate))
    share = (emails.touches if weaker == "emails" else calls.touches) / total
    if share * HUNDRED < channel_share:
        return Status.OK, weaker, share
    if strong and weak / strong * HUNDRED < help_below:
        return Status.HELP, weaker, share
    return Status.WATCH, weaker, share


def mix_status(
    kind_won: Decimal, won: Decimal, target: Decimal, tolerance: Decimal
) -> tuple[Status, Decimal | None]:
    """The rep's share of won deals in the kind against the leader's target (in %).

    Watched (a nudge, never "needs help") when the share falls more than `tolerance`
    points below the target; not judged on fewer than MIN_MIX_DEALS won deals.
    """
    if won < MIN_MIX_DEALS:
        return Status.UNKNOWN, ratio(kind_won, won)
    share = kind_won / won
    if share * HUNDRED < target - tolerance:
        return Status.WATCH, share
    return Status.OK, share
