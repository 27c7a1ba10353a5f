"""The API tokens page in a real browser: a rep makes a token, copies it once, revokes it;
on a desktop in English and on a phone in Chinese and Dutch, never wider than the screen."""

from __future__ import annotations

import re

from followthrough.people.models import AccessToken

PHONE = {"width": 390, "height": 844}
PLAINTEXT = re.compile(r"^ftp_[A-Za-z0-9_-]{43}$")
PAGE_WIDTH = "document.documentElement.scrollWidth"


def test_a_rep_makes_a_token_sees_it_once_and_revokes_it(cast, login_as, screenshot):
    page = login_as(cast.rep)
    with page.expect_navigation():
        page.locator(".account").get_by_role("link", name="API tokens").click()
    assert page.locator("h1").inner_text() == "API tokens"
    page.fill("#id_name", "Weekly report script")
    page.select_option("#id_days", "30")
    with page.expect_navigation():
        page.get_by_role("button", name="Create token").click()
    token = page.locator("#token-value").input_value()
    assert PLAINTEXT.match(token)
    assert "shown only once" in page.locator("#new-token").inner_text()
    assert page.locator("#access-tokens tbody tr").count() == 1
    screenshot(page, "access-tokens-en-desktop")

    page.goto("/accounts/tokens/")
    assert page.locator("#token-value").count() == 0
    assert token not in page.content()
    with page.expect_navigation():
        page.get_by_role("button", name="Revoke").click()
    assert "Revoked" in page.locator("#access-tokens").inner_text()
    assert AccessToken.objects.get().revoked_at is not None


def test_the_page_fits_a_phone_in_chinese_and_dutch(cast, login_as, screenshot):
    for locale in ("zh-CN", "nl-NL"):
        page = login_as(cast.rep, locale=locale, viewport=PHONE)
        page.goto("/accounts/tokens/")
        page.fill("#id_name", "Weekly report script")
        with page.expect_navigation():
            page.locator("form:has(#id_name) button[type=submit]").click()
        assert PLAINTEXT.match(page.locator("#token-value").input_value())
        assert page.evaluate(PAGE_WIDTH) <= PHONE["width"], locale
        screenshot(page, f"access-tokens-{locale}-phone")
