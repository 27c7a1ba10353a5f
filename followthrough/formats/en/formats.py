"""English formats: Django's, with dates written day first and times on the 24-hour clock.

A sales team reads "7 Dec 2026, 09:30" the same in London and Amsterdam; Django's
American defaults ("Dec. 7, 2026, 9:30 a.m.") read oddly beside the charts.
"""

from django.conf.locale.en.formats import *  # noqa: F403

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
MONTH_DAY_FORMAT = "j M"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
