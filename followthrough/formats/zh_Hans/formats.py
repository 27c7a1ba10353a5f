"""Simplified Chinese formats: Django's, with numbers grouped as the charts group them.

Django's zh_Hans formats have no thousands separator; Intl (the charts) and
Chinese business documents write 1,234,567. Pages and charts must read alike.
"""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
