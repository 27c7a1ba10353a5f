"""A rep in the browser is refused a teammate's page and the settings."""

from __future__ import annotations

from followthrough.people.models import Person


def test_a_rep_is_refused_a_teammates_page(demo, login_as, screenshot):
    teammate = Person.objects.get(name="Sara Visser")
    page = login_as(demo["rep"])
    response = page.goto(f"/people/{teammate.pk}/")
    assert response.status == 403
    assert page.locator("h1").inner_text() == "You may not see this page"
    assert "Sara Visser" not in page.content()
    screenshot(page, "refused-rep")


def test_a_rep_may_open_their_own_page(demo, login_as):
    me = Person.objects.get(email=demo["rep"].email)
    page = login_as(demo["rep"])
    response = page.goto(f"/people/{me.pk}/")
    assert response.status == 200
    assert page.locator("h1").inner_text() == me.name


def test_a_rep_is_refused_the_settings_page(demo, login_as):
    page = login_as(demo["rep"])
    response = page.goto("/settings/")
    assert response.status == 403
    assert page.locator("h1").inner_text() == "You may not see this page"
    assert page.locator("nav.mainnav a", has_text="Settings").count() == 0


def test_the_rep_sees_only_their_own_page_in_the_navigation(demo, login_as):
    page = login_as(demo["rep"])
    assert page.locator("nav.mainnav a").all_inner_texts() == ["My scorecard"]


def test_the_admin_sees_every_administration_page_in_the_navigation(demo, login_as):
    page = login_as(demo["admin"])
    assert page.locator("nav.mainnav a").all_inner_texts() == [
        "Settings",
        "Teams",
        "People",
        "Audit history",
    ]


def test_a_visitor_who_is_not_logged_in_is_sent_to_the_login_form(demo, page):
    page.goto("/team/")
    assert "/accounts/login/?next=/team/" in page.url
