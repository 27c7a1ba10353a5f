"""The three rights in a real browser: the team view, a rep's page, the thresholds."""

from __future__ import annotations

from followthrough.diagnostics.models import DiagnosticSettings, MixTarget
from followthrough.people.models import Person

WIDEST_IN_MAIN = "Math.max(...[...document.querySelectorAll('main *')].filter(e => !e.closest('.table-wrap')).map(e => e.getBoundingClientRect().right))"
LANGUAGES = (
    ("en-GB", "Three rights"),
    ("zh-CN", "三个正确"),
    ("nl-NL", "Drie keer goed"),
)
SIZES = (("desktop", None), ("phone", {"width": 390, "height": 844}))


def test_a_manager_reads_the_team_then_a_rep_and_sets_thresholds(demo, login_as, screenshot):
    ruben = Person.objects.get(email=demo["rep"].email)

    manager = login_as(demo["manager"])
    manager.goto("/early-warnings/")
    assert manager.locator(".dg-summary section").count() == 3
    assert manager.locator("table.dg-rights th a", has_text=ruben.name).count() == 1
    screenshot(manager, "rights-team-manager")
    with manager.expect_navigation():
        manager.locator("table.dg-rights").get_by_role("link", name=ruben.name).click()
    assert manager.locator(".dg-right").count() == 3
    screenshot(manager, "rights-rep-manager")

    manager.get_by_role("link", name="Thresholds").click()
    manager.fill("#id_watch_below", "75")
    with manager.expect_navigation():
        manager.get_by_role("button", name="Save thresholds").click()
    assert manager.locator(".message").inner_text() == "Thresholds saved."
    assert DiagnosticSettings.objects.filter(watch_below=75).exists()
    assert manager.get_by_role("button", name="Save mix target").count() == 0
    screenshot(manager, "rights-settings-manager")

    leader = login_as(demo["leader"])
    leader.goto("/early-warnings/thresholds/")
    leader.select_option("#id_dimension", value="deal_type")
    leader.fill("#id_value", "cross_sell")
    leader.fill("#id_share", "150")
    with leader.expect_navigation():
        leader.get_by_role("button", name="Save mix target").click()
    assert leader.locator("#id_share_error").count() == 1
    leader.fill("#id_share", "15")
    with leader.expect_navigation():
        leader.get_by_role("button", name="Save mix target").click()
    assert leader.locator(".message").inner_text() == "Mix target saved."
    assert MixTarget.objects.filter(value="cross_sell").exists()
    screenshot(leader, "rights-settings-leader")

    rep = login_as(demo["rep"])
    rep.goto("/early-warnings/")
    assert rep.url.endswith(f"/early-warnings/{ruben.pk}/")
    assert rep.locator("h1").inner_text() == f"Three rights: {ruben.name}"
    assert rep.get_by_role("link", name="Thresholds").count() == 0
    screenshot(rep, "rights-rep-rep")


def test_the_three_rights_read_well_in_every_language_and_size(demo, login_as, screenshot):
    ruben = Person.objects.get(email=demo["rep"].email)
    for locale, heading in LANGUAGES:
        for size, viewport in SIZES:
            for who, path, name in (
                ("manager", "/early-warnings/", "team"),
                ("rep", f"/early-warnings/{ruben.pk}/", "rep"),
                ("manager", "/early-warnings/thresholds/", "settings"),
            ):
                page = login_as(demo[who], locale=locale, viewport=viewport)
                page.goto(path)
                assert page.locator("h1").inner_text().startswith(heading) or name == "settings"
                screenshot(page, f"rights-{name}-{locale}-{size}")
                assert page.evaluate(WIDEST_IN_MAIN) <= page.viewport_size["width"] + 1
                page.context.close()
