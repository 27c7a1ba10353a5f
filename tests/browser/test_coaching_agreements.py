"""Agreements and the ladder in the browser: acknowledging, opening and moving up, reading one's own."""

from __future__ import annotations

import datetime as dt

from tests.browser.conftest import SCREENSHOTS

LANGUAGES = (("en-GB", "en"), ("zh-CN", "zh-hans"), ("nl-NL", "nl"))
SIZES = (("desktop", None), ("phone", {"width": 390, "height": 844}))
WIDEST_IN_MAIN = (
    "Math.max(...[...document.querySelectorAll('main *')]"
    ".filter(e => !e.closest('.table-scroll')).map(e => e.getBoundingClientRect().right))"
)
AGREEMENT_HEADINGS = {
    "en": "Accountability agreement",
    "zh-hans": "担责协议",
    "nl": "Afspraak over aanspreekbaarheid",
}
LADDER_HEADINGS = {"en": "The ladder", "zh-hans": "阶梯", "nl": "De ladder"}


def test_the_rep_sees_the_banner_and_acknowledges_the_agreement(cast, login_as, screenshot):
    from followthrough.coaching.models import Acknowledgement
    from tests.coaching.agreement_helpers import team_agreement

    team_agreement(cast.team, cast.manager, expectations="Raise a shortfall yourself.")
    page = login_as(cast.rep)
    banner = page.locator(".agreement-banner")
    assert banner.is_visible()
    with page.expect_navigation():
        banner.get_by_role("link", name="Read the agreement").click()
    assert page.locator("h1").inner_text() == "Accountability agreement"
    assert "Raise a shortfall yourself." in page.locator("main").inner_text()
    with page.expect_navigation():
        page.get_by_role("button", name="I have read it: acknowledge").click()
    assert "the agreement is acknowledged" in page.locator(".messages").inner_text()
    assert page.locator(".agreement-banner").count() == 0
    assert Acknowledgement.objects.filter(person=cast.rep).count() == 1
    page.goto("/me/")
    assert page.locator(".agreement-banner").count() == 0


def test_the_manager_opens_step_one_reviews_it_and_moves_to_step_two(cast, login_as, screenshot):
    from followthrough.coaching.models import LadderStep
    from followthrough.people.lines import today_for

    today = today_for(cast.org)
    page = login_as(cast.manager)
    page.goto("/ladder/")
    with page.expect_navigation():
        page.get_by_role("link", name="Open a step").click()
    page.select_option("select[name=rep]", str(cast.rep.pk))
    page.select_option("select[name=step]", "1")
    page.fill("input[name=started_on]", (today - dt.timedelta(days=30)).isoformat())
    page.fill("input[name=review_on]", today.isoformat())
    page.fill("textarea[name=plan]", "Two prospecting blocks a week, phone first.")
    page.fill("textarea[name=exit_criteria]", "Eight first meetings a month, two months running.")
    with page.expect_navigation():
        page.get_by_role("button", name="Open the step").click()
    assert "Coach and develop" in page.locator("main").inner_text()
    with page.expect_navigation():
        page.get_by_role("link", name="Record the review").click()
    page.fill("input[name=reviewed_on]", today.isoformat())
    page.fill("textarea[name=review]", "Calls up, first meetings not yet.")
    page.get_by_label("Move to the next step").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Record the review").click()
    assert page.url.endswith(f"/ladder/open/?rep={cast.rep.pk}&step=2")
    assert page.locator("select[name=step]").input_value() == "2"
    page.fill("input[name=started_on]", today.isoformat())
    page.fill("input[name=review_on]", (today + dt.timedelta(days=28)).isoformat())
    page.fill("textarea[name=plan]", "A short self-report every working day.")
    page.fill("textarea[name=exit_criteria]", "Eight first meetings a month.")
    with page.expect_navigation():
        page.get_by_role("button", name="Open the step").click()
    body = page.locator("main").inner_text()
    assert "Shorter reporting interval with a written plan" in body
    assert "Every working day" in body
    screenshot(page, "ladder-step-manager-en-desktop")
    first, second = LadderStep.objects.filter(rep=cast.rep).order_by("step")
    assert (first.outcome, second.previous_id, second.report_interval) == (
        "moved_up",
        first.pk,
        "daily",
    )

    # The rep sees their own step and plan; their peer sees none of it.
    rep_page = login_as(cast.rep)
    rep_page.goto("/ladder/")
    body = rep_page.locator("main").inner_text()
    assert "A short self-report every working day." in body
    assert "Shorter reporting interval with a written plan" in body
    peer_page = login_as(cast.rep2)
    peer_page.goto("/ladder/")
    assert "A short self-report every working day." not in peer_page.locator("main").inner_text()
    response = peer_page.goto(f"/ladder/{second.pk}/")
    assert response.status == 403


def test_the_agreement_and_the_reps_ladder_read_well_in_every_language_and_size(
    demo, login_as, screenshot
):
    from followthrough.demo.build import DEMO_PASSWORD

    lotte = "lotte.bakker@demo.followthrough.test"  # has version 2 still to acknowledge
    sara = "sara.visser@demo.followthrough.test"  # on step 2 with a written plan
    for locale, code in LANGUAGES:
        for size, viewport in SIZES:
            page = login_as(lotte, DEMO_PASSWORD, locale=locale, viewport=viewport)
            page.goto("/agreement/")
            assert page.locator("h1").inner_text() == AGREEMENT_HEADINGS[code]
            assert page.locator(".agreement-banner").is_visible()
            assert page.locator(".ack-form button").is_visible()
            screenshot(page, f"agreement-rep-{code}-{size}")
            page.screenshot(path=str(SCREENSHOTS / f"agreement-rep-{code}-{size}-top.png"))
            assert page.evaluate(WIDEST_IN_MAIN) <= page.viewport_size["width"]
            page.context.close()

            page = login_as(sara, DEMO_PASSWORD, locale=locale, viewport=viewport)
            page.goto("/ladder/")
            assert page.locator("h1").inner_text() == LADDER_HEADINGS[code]
            assert page.locator(".ladder-current").is_visible()
            screenshot(page, f"ladder-rep-{code}-{size}")
            assert page.evaluate(WIDEST_IN_MAIN) <= page.viewport_size["width"]
            page.context.close()

    # The manager's view of the team's agreement: who has not acknowledged yet.
    page = login_as(demo["manager"])
    page.goto("/agreement/")
    with page.expect_navigation():
        page.get_by_role("link", name="Benelux").click()
    assert "Lotte Bakker" in page.locator("main").inner_text()
    screenshot(page, "team-agreement-manager-en-desktop")
    page = login_as(demo["leader"])
    page.goto("/ladder/usage/")
    screenshot(page, "ladder-usage-leader-en-desktop")
