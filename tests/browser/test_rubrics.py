"""Rubrics in the browser: a manager adapts the rubric and publishes a template version; a
leader reads calibration. Screenshots in English, Chinese and Dutch, desktop and phone."""

from __future__ import annotations

LANGUAGES = (("en-GB", "en"), ("zh-CN", "zh"), ("nl-NL", "nl"))
SIZES = (("desktop", None), ("phone", {"width": 390, "height": 844}))
WIDEST_IN_MAIN = (
    "Math.max(...[...document.querySelectorAll('main *')]"
    ".filter(e => !e.closest('.table-scroll')).map(e => e.getBoundingClientRect().right))"
)
NEW_MEETS = "Asks open questions and puts a number on the pain."


def standards(cast):
    """The starter rubric, a template, and a quarter of ratings by Maya and Otto (see
    tests/assessments/test_calibration.py for the figures)."""
    from followthrough.assessments import assessing, versions
    from followthrough.assessments.models import AssessmentKind
    from followthrough.assessments.starter import create_starter_rubric
    from followthrough.lib.periods import PeriodKind, period_of
    from followthrough.people.lines import move, today_for
    from followthrough.people.models import Role
    from tests.cast import START, make_person
    from tests.metrics.helpers import deal

    org = cast.org
    rubric = create_starter_rubric(org)
    template = versions.publish(
        rubric=rubric,
        name="Account Executive",
        kpis=[{"metric": "deals_won", "weight": "2"}, {"metric": "win_rate", "weight": "1"}],
        by=cast.admin,
    )
    quarter = period_of(PeriodKind.QUARTER, today_for(org))
    extra = []
    for name, boss, team in (
        ("Rae", cast.manager, cast.team),
        ("Oscar", cast.other_manager, cast.other_team),
        ("Ona", cast.other_manager, cast.other_team),
    ):
        person = make_person(org, name, Role.REP, login=False)
        move(person, manager=boss, team=team, on=START)
        extra.append(person)
    rae, oscar, ona = extra
    plan = [
        (cast.rep, 1, 3, cast.manager, "exceeds"),
        (cast.rep2, 1, 4, cast.manager, "exceeds"),
        (rae, 1, 9, cast.manager, "exceeds"),
        (cast.other_rep, 2, 2, cast.other_manager, "below"),
        (oscar, 3, 2, cast.other_manager, "meets"),
        (ona, 4, 1, cast.other_manager, "meets"),
    ]
    for rep, won, lost, rater, level in plan:
        for i in range(won + lost):
            deal(org, rep, closed=quarter.start, outcome="won" if i < won else "lost", amount=900)
        a = assessing.start(
            rep=rep,
            rater=rater,
            kind=AssessmentKind.MANAGER,
            template=template,
            cycle_start=quarter.start,
            cycle_end=quarter.end,
        )
        for c in template.competencies:
            chosen = level if c["metric"] == "win_rate" else "meets"
            assessing.rate(a, c["id"], chosen, "Seen on a discovery call")
        assessing.submit(a)
    return rubric, template


def test_a_manager_adapts_the_rubric_and_publishes_a_template_version(cast, login_as, screenshot):
    from followthrough.assessments.models import Competency, ScorecardTemplate

    rubric, template = standards(cast)
    page = login_as(cast.manager)
    page.goto("/rubrics/")
    with page.expect_navigation():
        page.get_by_role("link", name="Sales skills").click()
    assert "Building rapport on a sales call" in page.locator("main").inner_text()
    row = page.locator("tr", has_text="Uncovering needs")
    with page.expect_navigation():
        row.get_by_role("link", name="Edit").click()
    page.fill("textarea[name=behaviour_meets]", NEW_MEETS)
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert NEW_MEETS in page.locator("main").inner_text()

    with page.expect_navigation():
        page.locator(".pagehead").get_by_role("link", name="Add a competency").click()
    page.select_option("select[name=section]", label="Closing")
    page.fill("input[name=name]", "Multi-threading")
    page.select_option("select[name=metric_key]", "win_rate")
    page.fill("textarea[name=behaviour_below]", "Talks to one person only.")
    page.fill("textarea[name=behaviour_meets]", "Knows every person in the decision.")
    page.fill("textarea[name=behaviour_exceeds]", "Builds a champion and a coach.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert "Builds a champion and a coach." in page.locator("main").inner_text()
    assert Competency.objects.filter(name="Multi-threading", section__name="Closing").exists()
    screenshot(page, "rubrics-rubric-manager-en-desktop")

    page.goto("/scorecard-templates/")
    with page.expect_navigation():
        page.get_by_role("link", name="Account Executive").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Publish a new version").click()
    page.fill("input[name=kpi_weight_win_rate]", "2")
    with page.expect_navigation():
        page.get_by_role("button", name="Publish the new version").click()
    body = page.locator("main").inner_text()
    assert "Version 2" in body
    assert "Weight of Win rate: 1 → 2." in body
    assert "Competency added: Multi-threading." in body
    assert ScorecardTemplate.objects.get(is_current=True).version == 2
    screenshot(page, "rubrics-template-manager-en-desktop")

    # A stale tab publishing from version 1 is refused, nothing lost.
    page.goto(f"/scorecard-templates/{template.pk}/edit/")
    assert page.url.endswith(
        f"/scorecard-templates/{ScorecardTemplate.objects.get(is_current=True).pk}/edit/"
    )


def test_a_leader_reads_calibration_in_three_languages(cast, login_as, screenshot):
    standards(cast)
    for locale, code in LANGUAGES:
        for size, viewport in SIZES:
            page = login_as(cast.leader, locale=locale, viewport=viewport)
            page.goto("/calibration/")
            assert page.locator(".flag-list li").count() >= 2
            if code == "en":
                text = page.locator(".flags").inner_text()
                assert "Maya rates Uncovering needs 2.00 on average" in text
                assert "Otto rates Uncovering needs 0.67 on average" in text
            assert page.locator("svg.bar").count() >= 3
            screenshot(page, f"rubrics-calibration-{code}-{size}")
            assert page.evaluate(WIDEST_IN_MAIN) <= page.viewport_size["width"] + 1
            page.goto("/rubrics/")
            with page.expect_navigation():
                page.locator(".rubric-cards a").first.click()
            screenshot(page, f"rubrics-rubric-{code}-{size}")
            assert page.evaluate(WIDEST_IN_MAIN) <= page.viewport_size["width"] + 1
            page.goto("/scorecard-templates/")
            screenshot(page, f"rubrics-templates-{code}-{size}")
            page.goto(f"/people/{cast.rep.pk}/scorecard/")
            assert page.locator(".ratings-panel").count() == 1
            screenshot(page, f"rubrics-scorecard-ratings-{code}-{size}")
            page.context.close()


def test_a_rep_reads_the_rubric_without_edit_buttons(cast, login_as):
    standards(cast)
    page = login_as(cast.rep)
    page.goto("/rubrics/")
    assert page.get_by_role("link", name="New rubric").count() == 0
    with page.expect_navigation():
        page.locator(".rubric-cards a").first.click()
    assert page.get_by_role("link", name="Add a competency").count() == 0
    page.goto("/me/")
    assert "Seen on a discovery call" in page.locator(".ratings-panel").inner_text()
    response = page.goto("/calibration/")
    assert response.status == 403
