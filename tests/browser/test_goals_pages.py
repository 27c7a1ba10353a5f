"""Setting and importing goals in a real browser."""

from __future__ import annotations

from pathlib import Path

from followthrough.goals.models import Goal
from tests.browser.conftest import SCREENSHOTS


def test_a_manager_sets_a_goal_and_sees_it_on_the_scorecard(cast, login_as, screenshot):
    page = login_as(cast.manager)
    page.goto(f"/goals/new/?person={cast.rep.pk}")
    page.select_option("#id_metric_key", "deals_won")
    page.select_option("#id_period_kind", "quarter")
    page.fill("#id_target", "12")
    screenshot(page, "goal-form")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert page.locator(".message").inner_text() == "Goal saved."
    assert Goal.objects.get().target == 12
    screenshot(page, "goal-list")
    page.goto(f"/people/{cast.rep.pk}/scorecard/?kind=quarter")
    deals = page.locator("article.kpi", has=page.locator("h2", has_text="Deals won"))
    assert deals.locator("dd").first.inner_text() == "12"


def test_the_goal_form_shows_field_errors(cast, login_as, screenshot):
    page = login_as(cast.manager)
    page.goto("/goals/new/")
    page.fill("#id_target", "-3")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert page.locator("#id_person_error").inner_text() == "Choose a person or a team."
    assert page.locator(".field.has-error").count() >= 2
    screenshot(page, "goal-form-errors")


def test_a_bad_csv_is_refused_with_row_and_column(cast, login_as, screenshot, tmp_path: Path):
    page = login_as(cast.leader)
    page.goto("/goals/import/")
    upload = tmp_path / "goals.csv"
    upload.write_text(
        "person,metric,period,target\nRita,deals_won,2026-Q9,3\nNobody,deals_won,2026-01,2\n"
    )
    page.set_input_files("#id_file", str(upload))
    with page.expect_navigation():
        page.get_by_role("button", name="Import").click()
    errors = page.locator("[role=alert] li").all_inner_texts()
    assert errors[0].startswith("Row 2, column period")
    assert errors[1] == "Row 3, column person: No such person."
    assert not Goal.objects.exists()
    screenshot(page, "goal-import-errors")


WIDEST_IN_MAIN = "Math.max(...[...document.querySelectorAll('main *')].filter(e => !e.closest('.table-scroll')).map(e => e.getBoundingClientRect().right))"
WIDEST_NAME = "[...document.querySelectorAll('main *')].filter(e => !e.closest('.table-scroll') && e.getBoundingClientRect().right > window.innerWidth).map(e => e.tagName + '.' + e.className).slice(0, 5).join(' ')"
LANGUAGES = (("en-GB", "Goals"), ("zh-CN", "目标"), ("nl-NL", "Doelen"))
SIZES = (("desktop", None), ("phone", {"width": 390, "height": 844}))


def test_the_goal_list_and_the_audit_history_read_well_in_every_language_and_size(
    demo, login_as, screenshot
):
    from decimal import Decimal

    from followthrough.audit.context import acting_as
    from followthrough.people.models import Person

    admin = Person.objects.get(email=demo["admin"].email)
    goal = Goal.objects.filter(metric_key="win_rate", person__isnull=False).first()
    money = Goal.objects.filter(metric_key="revenue_won").first()
    with acting_as(admin.user):
        goal.target, goal.ramp, goal.ramp_shares = (
            goal.target + Decimal("0.05"),
            "custom",
            [25, 50, 75],
        )
        goal.save()
        money.target = money.target + 5000
        money.save()
    for locale, heading in LANGUAGES:
        for size, viewport in SIZES:
            page = login_as(demo["admin"], locale=locale, viewport=viewport)
            page.goto("/goals/")
            assert page.locator("h1").inner_text() == heading
            body = page.locator("main").inner_text()
            assert ".0000" not in body and "E+" not in body
            screenshot(page, f"goal-list-{locale}-{size}")
            page.screenshot(path=str(SCREENSHOTS / f"goal-list-{locale}-{size}-top.png"))
            # The table scrolls inside its box; the page's content never runs off the side.
            assert page.evaluate(WIDEST_IN_MAIN) <= page.viewport_size["width"], page.evaluate(
                WIDEST_NAME
            )
            page.goto("/audit/")
            history = page.locator("main").inner_text()
            assert "[]" not in history and "E+" not in history and ".0000" not in history
            assert "Updated at" not in history
            assert "25 %, 50 %, 75 %" in history
            screenshot(page, f"audit-{locale}-{size}")
            page.screenshot(path=str(SCREENSHOTS / f"audit-{locale}-{size}-top.png"))
            assert page.evaluate(WIDEST_IN_MAIN) <= page.viewport_size["width"], page.evaluate(
                WIDEST_NAME
            )
            page.context.close()
