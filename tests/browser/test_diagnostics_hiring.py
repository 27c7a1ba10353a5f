"""The hiring forecast in a real browser: the leader reads the plan, changes an assumption,
and the page reads well in every language and size."""

from __future__ import annotations

from followthrough.diagnostics.models import HiringAssumptions

WIDEST_IN_MAIN = "Math.max(...[...document.querySelectorAll('main *')].filter(e => !e.closest('.table-wrap, .hr-chart-scroll')).map(e => e.getBoundingClientRect().right))"
LANGUAGES = (("en-GB", "Hiring forecast"), ("zh-CN", "招聘预测"), ("nl-NL", "Wervingsprognose"))
SIZES = (("desktop", None), ("phone", {"width": 390, "height": 844}))


def test_a_leader_plans_the_hires_of_the_region(demo, login_as, screenshot):
    leader = login_as(demo["leader"])
    leader.goto("/early-warnings/hiring/")
    assert leader.locator("h1").inner_text() == "Hiring forecast"
    # The demo's plan for Europe: a target above today's capacity, so hires.
    assert "Hire " in leader.locator(".hr-verdict").inner_text()
    assert leader.locator(".hr-chart svg rect.hr-bar").count() == 12
    assert leader.locator(".hr-hire-mark").count() >= 1
    assert "your value" in leader.locator(".hr-assumptions").inner_text()
    screenshot(leader, "diagnostics-hiring-leader")

    leader.fill("#id_lead_months", "4")
    leader.fill("#id_attrition", "")
    with leader.expect_navigation():
        leader.get_by_role("button", name="Save assumptions").click()
    assert leader.locator(".message").inner_text() == "Assumptions saved."
    saved = HiringAssumptions.objects.get(team__name="Europe")
    assert (saved.lead_months, saved.attrition) == (4, None)

    leader.fill("#id_attrition", "250")
    with leader.expect_navigation():
        leader.get_by_role("button", name="Save assumptions").click()
    assert leader.locator(".hr-form .errorlist").count() == 1
    screenshot(leader, "diagnostics-hiring-error")

    manager = login_as(demo["manager"])
    manager.goto("/early-warnings/hiring/")
    assert manager.locator(".hr-form").count() == 0
    assert "Benelux" in manager.locator("h2#hr-summary-heading, .empty h2").first.inner_text() or (
        manager.locator("select[name=team] option[selected]").inner_text() == "Benelux"
    )
    screenshot(manager, "diagnostics-hiring-manager")


def test_the_hiring_page_reads_well_in_every_language_and_size(demo, login_as, screenshot):
    for locale, heading in LANGUAGES:
        for size, viewport in SIZES:
            page = login_as(demo["leader"], locale=locale, viewport=viewport)
            page.goto("/early-warnings/hiring/")
            assert page.locator("h1").inner_text() == heading
            # SVG coordinates stay numbers in every language (no decimal commas).
            heights = page.locator("rect.hr-bar").evaluate_all(
                "bars => bars.map(b => b.height.baseVal.value)"
            )
            assert len(heights) == 12 and all(h > 0 for h in heights), heights
            screenshot(page, f"diagnostics-hiring-{locale}-{size}")
            assert page.evaluate(WIDEST_IN_MAIN) <= page.viewport_size["width"] + 1
            page.context.close()
