"""Each demo role logs in through the real form and lands on its own page."""

from __future__ import annotations

import pytest

LANDINGS = [
    ("rep", "/me/", "My scorecard"),
    ("manager", "/team/", "My team"),
    ("leader", "/teams/", "Teams"),
    ("admin", "/settings/", "Settings"),
]


def test_the_login_page_asks_for_an_email_and_a_password(page, screenshot):
    page.goto("/")
    assert page.url.endswith("/accounts/login/?next=/") or "/accounts/login/" in page.url
    assert page.locator("h1").inner_text() == "Log in to Followthrough"
    assert page.locator("input[name=username]").is_visible()
    assert page.locator("input[name=password]").is_visible()
    screenshot(page, "login")


@pytest.mark.parametrize(("role", "path", "heading"), LANDINGS)
def test_each_demo_role_lands_on_its_own_page(demo, login_as, screenshot, role, path, heading):
    page = login_as(demo[role])
    assert page.url.endswith(path)
    assert page.locator("h1").inner_text() == heading
    nav = page.locator("nav.mainnav a[aria-current=page]")
    assert nav.inner_text() == heading
    screenshot(page, f"landing-{role}")


def test_a_wrong_password_keeps_the_visitor_on_the_login_form(cast, page):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", cast.rep.email)
    page.fill("input[name=password]", "not the password")
    page.click("form[action$='/accounts/login/'] button[type=submit]")
    page.wait_for_load_state()
    assert "/accounts/login/" in page.url
    assert page.locator(".errorlist, .form-error, [role=alert]").count() >= 1


PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("role", ["rep", "manager", "admin"])
def test_landing_pages_fit_a_phone_screen_without_sideways_scrolling(
    cast, login_as, screenshot, role
):
    page = login_as(getattr(cast, role), viewport=PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.locator("nav.mainnav a").first.is_visible()
    # The top bar wraps onto more rows; the page must start below all of them, not under.
    heading = page.locator("h1").bounding_box()
    for part in ("header.topbar", "nav.mainnav", ".topbar-end"):
        box = page.locator(part).bounding_box()
        assert heading["y"] >= box["y"] + box["height"], f"{part} covers the heading"
    screenshot(page, f"phone-{role}")
