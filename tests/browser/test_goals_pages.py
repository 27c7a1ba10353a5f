"""Setting and importing goals in a real browser."""

from __future__ import annotations

from pathlib import Path

from followthrough.goals.models import Goal


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
