"""The language switcher shows the page in Chinese and in Dutch, and remembers the choice."""

from __future__ import annotations


def switch_to(page, code: str) -> None:
    with page.expect_navigation():
        page.select_option("select[name=language]", code)


def test_a_manager_switches_to_chinese_and_back_to_english(cast, login_as, screenshot):
    page = login_as(cast.manager)
    switch_to(page, "zh-hans")
    assert page.url.endswith("/team/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator("h1").inner_text() == "我的团队"
    assert page.locator("nav.mainnav a[aria-current=page]").inner_text() == "我的团队"
    screenshot(page, "landing-manager-zh-hans")

    # The choice is remembered from page to page.
    page.goto("/teams/")
    assert page.locator("h1").inner_text() == "团队"

    switch_to(page, "en")
    assert page.locator("h1").inner_text() == "Teams"


def test_a_rep_switches_to_dutch(cast, login_as, screenshot):
    page = login_as(cast.rep)
    switch_to(page, "nl")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.locator("nav.mainnav a[aria-current=page]").inner_text() == "Mijn scorecard"
    assert page.get_by_role("button", name="Uitloggen").is_visible()
    screenshot(page, "landing-rep-nl")


def test_the_login_page_follows_the_browsers_language(new_page, screenshot):
    page = new_page(locale="zh-CN")
    page.goto("/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.get_by_role("button", name="登录").is_visible()
    screenshot(page, "login-zh-hans")
    page = new_page(locale="nl-NL")
    page.goto("/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.get_by_role("button", name="Inloggen").is_visible()
