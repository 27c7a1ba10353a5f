"""Local times to UTC: the quick paths give what the full conversion gives, DST included."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.test import SimpleTestCase

from followthrough.ingest.rows import Moments

ZONES = [
    "UTC",
    "Europe/Amsterdam",
    "America/New_York",
    "Asia/Kolkata",  # +05:30: not whole hours
    "America/St_Johns",  # -03:30, with DST
    "Australia/Lord_Howe",  # a DST change of half an hour
]
# Local times every 20 minutes over the 2025 DST changes of Europe, North America and
# Lord Howe (skipped and repeated hours included), and a plain stretch in the summer.
STARTS = [
    dt.datetime(2025, 3, 29, 20, 0),
    dt.datetime(2025, 10, 25, 20, 0),
    dt.datetime(2025, 3, 8, 20, 0),
    dt.datetime(2025, 11, 1, 20, 0),
    dt.datetime(2025, 4, 5, 20, 0),
    dt.datetime(2025, 10, 4, 20, 0),
    dt.datetime(2025, 7, 14, 9, 0),
]


def local_times() -> list[str]:
    cells = []
    for start in STARTS:
        for step in range(0, 36 * 3):
            moment = start + dt.timedelta(minutes=20 * step, seconds=step % 60)
            cells.append(moment.strftime("%Y-%m-%d %H:%M:%S"))
    return cells


class MomentsTests(SimpleTestCase):
    def expected(self, tz, cells):
        """The full conversion, cell by cell: (UTC text, local day as text)."""
        full = Moments(tz, (), None)
        return [(utc, day.isoformat()) for utc, day in map(full, cells)]

    def test_a_batch_converts_as_each_cell_alone_would(self):
        cells = local_times()
        for name in ZONES:
            with self.subTest(zone=name):
                tz = zoneinfo.ZoneInfo(name)
                quick = Moments(tz, (), None).batch(cells)
                one_by_one = [Moments(tz, (), None).iso(cell) for cell in cells]
                self.assertEqual(one_by_one, self.expected(tz, cells))
                if name in ("Asia/Kolkata", "America/St_Johns", "Australia/Lord_Howe"):
                    self.assertIsNone(quick)  # offsets of half hours: cell by cell
                    continue
                values, days = quick
                self.assertEqual(list(zip(values, days, strict=True)), self.expected(tz, cells))

    def test_amsterdam_by_hand(self):
        tz = zoneinfo.ZoneInfo("Europe/Amsterdam")
        # Winter +1, summer +2; 02:30 on 30 March does not exist locally and counts as +1.
        cells = ["2025-01-15 00:30:00", "2025-07-01 01:59:59", "2025-03-30 02:30:00"]
        values, days = Moments(tz, (), None).batch(cells)
        self.assertEqual(
            list(values), ["2025-01-14 23:30:00", "2025-06-30 23:59:59", "2025-03-30 01:30:00"]
        )
        self.assertEqual(days, ["2025-01-15", "2025-07-01", "2025-03-30"])

    def test_anything_unusual_is_left_to_the_full_conversion(self):
        tz = zoneinfo.ZoneInfo("UTC")
        for bad in (
            "2025-02-30 10:00:00",  # no such day
            "2025-01-01 24:00:00",  # no such hour
            "2025-01-01 10:60:00",
            "2025-01-01 10:00:61",
            "2025-01-01T10:00:00",
            " 2025-01-01 10:00:00",
            "2025-01-01 10:00",
            "",
            "２０２５-01-01 10:00:00",  # digits, but not ASCII ones
        ):
            with self.subTest(cell=bad):
                self.assertIsNone(Moments(tz, (), None).batch(["2025-01-01 09:00:00", bad]))

    def test_a_day_too_late_is_left_to_the_full_conversion(self):
        tz = zoneinfo.ZoneInfo("UTC")
        moments = Moments(tz, (), dt.date(2025, 1, 1))
        self.assertIsNotNone(moments.batch(["2025-01-01 23:00:00"]))
        self.assertIsNone(moments.batch(["2025-01-01 23:00:00", "2025-01-02 00:00:00"]))
