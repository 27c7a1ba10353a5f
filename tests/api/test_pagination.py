"""API lists page with a bounded limit and offset, whatever the query string says."""

from __future__ import annotations

from rest_framework.test import APIRequestFactory

from followthrough.api.pagination import MAX_LIMIT, BoundedLimitOffsetPagination
from followthrough.lib.ids import MAX_ID, parse_id
from tests.cast import BaseTestCase


def paging(query: str) -> tuple[int | None, int]:
    from rest_framework.request import Request

    request = Request(APIRequestFactory().get("/api/v1/people/?" + query))
    pagination = BoundedLimitOffsetPagination()
    return pagination.get_limit(request), pagination.get_offset(request)


class PaginationTests(BaseTestCase):
    def test_a_huge_limit_is_capped_and_a_huge_offset_fits_the_database(self):
        self.assertEqual(paging(f"limit={10**23}&offset={10**23}"), (MAX_LIMIT, MAX_ID))
        self.assertEqual(MAX_LIMIT, 1000)
        self.assertEqual(MAX_ID, 9223372036854775807)

    def test_odd_values_fall_back_to_the_defaults(self):
        self.assertEqual(paging("limit=x&offset=-1"), (100, 0))
        self.assertEqual(paging("limit=%C2%B2&offset=%C2%B2"), (100, 0))

    def test_a_list_with_a_huge_limit_answers_with_at_most_max_limit_rows(self):
        self.login(self.admin)
        response = self.client.get(f"/api/v1/people/?limit={10**23}&offset=0")
        self.assertEqual(response.status_code, 200)
        # The organisation's seven people fit in one page (PostgreSQL refused LIMIT 10**23).
        self.assertEqual(response.json()["count"], 7)
        self.assertEqual(len(response.json()["results"]), 7)
        self.assertIsNone(response.json()["next"])


def test_ids_are_plain_ascii_numbers_a_bigint_can_hold():
    assert parse_id("12") == 12
    assert parse_id(str(2**63 - 1)) == 2**63 - 1
    for bad in (None, "", "0", "-1", "²", "１２", "1.5", " 1", str(2**63), "abc"):
        assert parse_id(bad) is None, bad
