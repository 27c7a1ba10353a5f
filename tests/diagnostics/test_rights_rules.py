"""The right thing's and right way's arithmetic on plain numbers (no database)."""

from __future__ import annotations

from decimal import Decimal

from django.test import SimpleTestCase

from followthrough.diagnostics import rights_rules as rules
from followthrough.diagnostics.findings import Status

D = Decimal


class NeedTest(SimpleTestCase):
    def test_the_need_is_sized_at_the_favourable_end_of_the_measured_rates(self):
        rates = rules.Rates(prospecting=D(2500), created=D(25), won_new=D(9), won=D(16))
        # 16 wins + √16 = 20 favourable: per target win 2,500 / 20 = 125 touches, 25 / 20 new deals.
        deals, touches = rates.need(D(2))
        self.assertEqual(deals, D("2.5"))
        self.assertEqual(touches, D(250))
        self.assertEqual(rates.deals_per_100, D(1))
        self.assertEqual(rates.win_rate, D("0.36"))
        self.assertTrue(rates.enough)

    def test_no_need_without_wins_and_too_little_data_below_five_new_wins(self):
        self.assertIsNone(rules.Rates(D(100), D(3), D(0), D(0)).need(D(1)))
        self.assertFalse(rules.Rates(D(100), D(3), D(4), D(4)).enough)

    def test_shares_against_the_thresholds(self):
        self.assertEqual(rules.by_share(D("0.59"), D(80), D(60)), Status.HELP)
        self.assertEqual(rules.by_share(D("0.60"), D(80), D(60)), Status.WATCH)
        self.assertEqual(rules.by_share(D("0.80"), D(80), D(60)), Status.OK)

    def test_a_shortfall_counts_only_beyond_two_standard_deviations(self):
        # Expected 9: sd 3, so a shortfall must exceed 6.
        self.assertFalse(rules.beyond_chance(D(3), D(9)))
        self.assertTrue(rules.beyond_chance(D("2.9"), D(9)))


class ChannelTest(SimpleTestCase):
    def test_a_rate_far_below_the_teams_beyond_chance_needs_help(self):
        # Team 4 per 100; rep 400 calls expected 16, booked 4: 16 - 4 = 12 > 2 × 4 = 8.
        status, share = rules.channel_rate_status(
            rules.Channel(D(400), D(4)), rules.Channel(D(1000), D(40)), D(80), D(60)
        )
        self.assertEqual((status, share), (Status.HELP, D("0.25")))

    def test_a_low_rate_within_chance_is_ok(self):
        # Expected 2, booked 0: 2 < 2 × √2.
        status, _share = rules.channel_rate_status(
            rules.Channel(D(100), D(0)), rules.Channel(D(1000), D(20)), D(80), D(60)
        )
        self.assertEqual(status, Status.OK)

    def test_too_few_touches_are_not_judged(self):
        status, _share = rules.channel_rate_status(
            rules.Channel(D(49), D(0)), rules.Channel(D(1000), D(40)), D(80), D(60)
        )
        self.assertEqual(status, Status.UNKNOWN)

    def test_outreach_mostly_in_the_weaker_channel_is_flagged(self):
        team_calls, team_emails = rules.Channel(D(1000), D(40)), rules.Channel(D(1000), D(10))
        # 85 % e-mail, e-mail books 1 per 100 against 4 (25 % < 60 %): needs help.
        self.assertEqual(
            rules.channel_mix_status(
                rules.Channel(D(15), D(1)),
                rules.Channel(D(85), D(1)),
                team_calls,
                team_emails,
                D(80),
                D(60),
            ),
            (Status.HELP, "emails", D("0.85")),
        )
        # 70 % e-mail: below the 80 % flagged.
        status, _weaker, _share = rules.channel_mix_status(
            rules.Channel(D(30), D(1)),
            rules.Channel(D(70), D(1)),
            team_calls,
            team_emails,
            D(80),
            D(60),
        )
        self.assertEqual(status, Status.OK)

    def test_a_weaker_channel_close_to_the_other_is_only_watched(self):
        # Team: calls 4, e-mails 3 per 100 (75 %, above 60 %): 90 % e-mail is watched.
        status, _weaker, _share = rules.channel_mix_status(
            rules.Channel(D(10), D(0)),
            rules.Channel(D(90), D(3)),
            rules.Channel(D(100), D(4)),
            rules.Channel(D(100), D(3)),
            D(80),
            D(60),
        )
        self.assertEqual(status, Status.WATCH)


class MixTest(SimpleTestCase):
    def test_below_target_by_more_than_the_tolerance_is_watched(self):
        self.assertEqual(rules.mix_status(D(1), D(20), D(20), D(10)), (Status.WATCH, D("0.05")))
        self.assertEqual(rules.mix_status(D(2), D(20), D(20), D(10)), (Status.OK, D("0.1")))

    def test_too_few_won_deals_are_not_judged(self):
        self.assertEqual(rules.mix_status(D(0), D(9), D(20), D(10))[0], Status.UNKNOWN)


class NumTest(SimpleTestCase):
    def test_numbers_are_put_into_words_in_the_readers_language(self):
        from django.utils import translation

        with translation.override("nl"):
            self.assertEqual(str(rules.Num(D("1234.56"), 1)), "1.234,6")
        with translation.override("en-gb"):
            self.assertEqual(str(rules.Num(D("1234.56"), 1)), "1,234.6")
