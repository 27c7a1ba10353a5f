"""Paging for every API list: limit and offset, bounded.

An unbounded ?limit= would let one request read a whole table, and a limit or
offset past a 64-bit integer is refused by the database with an error (a 500).
The limit is capped at MAX_LIMIT and the offset at the largest value the
database accepts; a value that is not a number falls back, as DRF's own does.
"""

from __future__ import annotations

from rest_framework.pagination import LimitOffsetPagination, _positive_int

from followthrough.lib.ids import MAX_ID

MAX_LIMIT = 1000


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    max_limit = MAX_LIMIT

    def get_offset(self, request) -> int:
        try:
            return _positive_int(request.query_params[self.offset_query_param], cutoff=MAX_ID)
        except (KeyError, ValueError):
            return 0
