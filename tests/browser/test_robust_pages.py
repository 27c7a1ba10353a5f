"""Pages that must hold up to odd input: long names, out-of-range dates, error pages.

Screenshots in English, Dutch and Chinese, on a desktop and a phone, land in
var/screenshots/robust-*.png.
"""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 800}
LOCALES = {"en": "en-GB", "nl": "nl-NL", "zh": "zh-CN"}
LONG_NAME = "Bartholomew" + "x" * 189  # 200 characters, no place to break


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def widest(page) -> str:
    """The deepest element reaching past the screen, to say what overflowed."""
    return page.evaluate(
        """() => {
        const w = document.documentElement.clientWidth;
        const out = [...document.querySelectorAll('body *')]
          .filter(e => e.getBoundingClientRect().right > w + 1 && !e.closest('.scroll, .tablewrap'));
        const e = out[out.length - 1];
        return e ? e.tagName + '.' + e.className + ' ' + e.textContent.slice(0, 40) : '';
      }"""
    )


@pytest.mark.parametrize("lang", list(LOCALES))
def test_a_200_character_name_does_not_widen_the_person_pages(cast, login_as, screenshot, lang):
    cast.rep.name = LONG_NAME
    cast.rep.save()
    cast.team.name = "Team" + "y" * 196
    cast.team.save()
    for device, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page = login_as(cast.manager, locale=LOCALES[lang], viewport=viewport)
        for what, url in (
            ("person", f"/people/{cast.rep.pk}/"),
            ("scorecard", f"/people/{cast.rep.pk}/scorecard/"),
            ("team", f"/teams/{cast.team.pk}/"),
            ("dashboard", f"/teams/{cast.team.pk}/dashboard/"),
        ):
            assert page.goto(url).status == 200
            if what in ("person", "dashboard"):
                screenshot(page, f"robust-long-name-{what}-{device}-{lang}")
            assert page_width(page) <= viewport["width"], (what, device, widest(page))


@pytest.mark.parametrize("lang", list(LOCALES))
def test_the_error_pages_keep_the_layout_and_the_navigation(cast, login_as, screenshot, lang):
    for device, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page = login_as(cast.admin, locale=LOCALES[lang], viewport=viewport)
        with mock.patch("followthrough.audit.views.describe", side_effect=RuntimeError):
            response = page.goto("/audit/")
        assert response.status == 500
        assert page.locator("nav.mainnav a").count() >= 5
        screenshot(page, f"robust-500-{device}-{lang}")
        assert page.goto("/no/such/page/").status == 404
        assert page.locator("nav.mainnav a").count() >= 5
        screenshot(page, f"robust-404-{device}-{lang}")
        rep = login_as(cast.rep, locale=LOCALES[lang], viewport=viewport)
        assert rep.goto("/settings/").status == 403
        screenshot(rep, f"robust-403-{device}-{lang}")


def test_an_out_of_range_date_shows_this_month_with_a_notice(cast, login_as, screenshot):
    for device, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page = login_as(cast.rep, viewport=viewport)
        assert page.goto("/me/?kind=month&date=9999-12-31").status == 200
        assert "9999-12-31" in page.locator(".messages").inner_text()
        screenshot(page, f"robust-out-of-range-{device}-en")
        assert page.goto("/me/?kind=custom&start=2026-03-31&end=2026-01-01").status == 200
        assert "swapped" in page.locator(".messages").inner_text()
        screenshot(page, f"robust-reversed-range-{device}-en")


def test_switching_quarter_then_year_then_week_lands_on_this_week(cast, login_as):
    page = login_as(cast.rep)
    page.goto("/me/")
    today = dt.date.fromisoformat(page.locator("#period-date").input_value())
    for kind in ("quarter", "year", "week"):
        page.select_option("#period-kind", kind)
        with page.expect_navigation():
            page.click("form.picker button[type=submit]")
    monday = today - dt.timedelta(days=today.weekday())
    assert f"date={monday.isoformat()}" in page.url or f"date={today.isoformat()}" in page.url
    assert page.locator("#period-date").input_value() == today.isoformat()
