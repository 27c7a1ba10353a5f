"""Onboarding programs in a real browser: the 30/60/90 plan, enrolling, training, a certification."""

from __future__ import annotations

import datetime as dt

from followthrough.people.lines import today_for
from followthrough.people.models import Person
from followthrough.programs.models import Enrolment, MilestoneCompletion

WIDEST_IN_MAIN = "Math.max(...[...document.querySelectorAll('main *')].filter(e => !e.closest('.table-wrap')).map(e => e.getBoundingClientRect().right))"
LANGUAGES = (
    ("en-GB", "My onboarding", "Time to ramp"),
    ("zh-CN", "我的入职", "上手时间"),
    ("nl-NL", "Mijn inwerktraject", "Inwerktijd"),
)
SIZES = (("desktop", None), ("phone", {"width": 390, "height": 844}))


def test_a_manager_runs_the_30_60_90_plan_for_a_rep(demo, login_as, screenshot):
    ruben = Person.objects.get(email=demo["rep"].email)
    today = today_for(ruben.organisation)
    start = today - dt.timedelta(days=40)

    manager = login_as(demo["manager"])
    manager.goto("/programs/")
    with manager.expect_navigation():
        manager.get_by_role("button", name="Create from the 30/60/90 template").click()
    assert "The 30/60/90-day plan is ready" in manager.locator(".message").inner_text()
    assert manager.locator(".pg-phase h2").all_inner_texts() == [
        "First 30 days",
        "Days 31 to 60",
        "Days 61 to 90",
    ]
    screenshot(manager, "programs-program-manager")
    manager.get_by_role("link", name="Enrol someone").click()
    manager.select_option("#id_person", label=ruben.name)
    manager.fill("#id_start", start.isoformat())
    with manager.expect_navigation():
        manager.get_by_role("button", name="Enrol", exact=True).click()
    assert manager.locator(".message").inner_text() == f"{ruben.name} is enrolled."
    enrolment = Enrolment.objects.get(person=ruben)

    # Training, checked off with evidence.
    manager.locator(
        "#milestone-%d .button" % enrolment.program.milestones.get(due_day=7).pk
    ).click()
    manager.fill("#id_evidence", "Practice deal with next step; call and e-mail logged.")
    manager.fill("#id_done_on", (start + dt.timedelta(days=5)).isoformat())
    with manager.expect_navigation():
        manager.get_by_role("button", name="Check off").click()
    assert manager.locator(".message").inner_text() == "Checked off."

    # The product certification: every competency rated, at least "meets".
    product = enrolment.program.milestones.get(name="Product certification")
    manager.locator(f"#milestone-{product.pk} .button").click()
    assert "Meets expectations" in manager.locator(".notice").inner_text()
    for radio in manager.locator("input[type=radio][value=meets]").all():
        radio.check()
    manager.fill("#id_summary", "Clear product demo around the prospect's problem.")
    screenshot(manager, "programs-certify-manager")
    with manager.expect_navigation():
        manager.get_by_role("button", name="Submit the certification").click()
    assert manager.locator(".message").inner_text() == "Certification passed and signed off."
    assert MilestoneCompletion.objects.filter(
        enrolment=enrolment, assessment__isnull=False
    ).exists()
    screenshot(manager, "programs-enrolment-manager")
    manager.goto("/programs/cohort/")
    assert ruben.name in manager.locator("main").inner_text()
    screenshot(manager, "programs-cohort-manager")

    rep = login_as(demo["rep"])
    rep.goto("/onboarding/")
    states = set(rep.locator(".pg-step .pg-state").all_inner_texts())
    assert {"Done", "Due", "Late"} <= states, states
    assert rep.locator(".pg-bar").count() == 1
    assert rep.locator("a.button", has_text="Certify").count() == 0  # the manager certifies
    screenshot(rep, "programs-mine-rep")

    leader = login_as(demo["leader"])
    leader.goto("/programs/ramp/")
    assert leader.locator(".pg-chart svg").count() == 1
    assert "Lotte Bakker" in leader.locator("main").inner_text()
    screenshot(leader, "programs-ramp-leader")


def test_the_program_pages_read_well_in_every_language_and_size(demo, login_as, screenshot):
    for locale, mine, ramp in LANGUAGES:
        for size, viewport in SIZES:
            for who, path, heading, name in (
                ("rep", "/onboarding/", mine, "mine"),
                ("manager", "/programs/cohort/", None, "cohort"),
                ("leader", "/programs/ramp/", ramp, "ramp"),
            ):
                page = login_as(demo[who], locale=locale, viewport=viewport)
                page.goto(path)
                if heading:
                    assert page.locator("h1").inner_text() == heading
                screenshot(page, f"programs-{name}-{locale}-{size}")
                assert page.evaluate(WIDEST_IN_MAIN) <= page.viewport_size["width"] + 1
                page.context.close()
    # The demo rep is not enrolled: the new hire is.
    lotte = Person.objects.get(name="Lotte Bakker")
    enrolment = Enrolment.objects.get(person=lotte)
    for locale, _mine, _ramp in LANGUAGES:
        for size, viewport in SIZES:
            page = login_as(demo["manager"], locale=locale, viewport=viewport)
            page.goto(f"/onboarding/{enrolment.pk}/")
            screenshot(page, f"programs-enrolment-{locale}-{size}")
            assert page.evaluate(WIDEST_IN_MAIN) <= page.viewport_size["width"] + 1
            page.context.close()
