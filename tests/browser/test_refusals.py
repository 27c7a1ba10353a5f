"""A rep in the browser is refused a teammate's page and the settings; navigation by role."""

from __future__ import annotations


def test_a_rep_is_refused_a_teammates_page(cast, login_as, screenshot):
    page = login_as(cast.rep)
    response = page.goto(f"/people/{cast.rep2.pk}/")
    assert response.status == 403
    assert page.locator("h1").inner_text() == "You may not see this page"
    assert "Rob" not in page.locator("main").inner_text()
    screenshot(page, "refused-rep")


def test_a_rep_may_open_their_own_page(cast, login_as):
    page = login_as(cast.rep)
    response = page.goto(f"/people/{cast.rep.pk}/")
    assert response.status == 200
    assert page.locator("h1").inner_text() == "Rita"


def test_a_rep_is_refused_the_settings_page(cast, login_as):
    page = login_as(cast.rep)
    response = page.goto("/settings/")
    assert response.status == 403
    assert page.locator("h1").inner_text() == "You may not see this page"


def test_a_rep_is_refused_another_organisations_person(cast, login_as):
    page = login_as(cast.rep)
    response = page.goto(f"/people/{cast.outsider_rep.pk}/")
    assert response.status in (403, 404)
    assert "Yusuf" not in page.locator("main").inner_text()


def test_the_navigation_offers_each_role_only_its_own_pages(cast, login_as):
    rep = login_as(cast.rep).locator("nav.mainnav a").all_inner_texts()
    admin = login_as(cast.admin).locator("nav.mainnav a").all_inner_texts()
    assert rep[0] == "My scorecard"
    for admin_only in ("Settings", "People", "Audit history"):
        assert admin_only in admin
        assert admin_only not in rep
    assert admin[0] == "Settings"


def test_a_visitor_who_is_not_logged_in_is_sent_to_the_login_form(page):
    page.goto("/team/")
    assert "/accounts/login/?next=/team/" in page.url
    assert page.locator("nav.mainnav").count() == 0
