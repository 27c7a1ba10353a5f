"""Coaching plans and reviews in a real browser: re-evaluate, before/after, share, acknowledge, print."""

from __future__ import annotations

from followthrough.assessments.models import CoachingPlan, PlanStatus, Review
from followthrough.lib.periods import PeriodKind, period_of
from followthrough.people.lines import today_for
from followthrough.people.models import Person

SUMMARY = "A quarter of steady prospecting; discovery is where we work next."
COMMENT = "Agreed. I want to practise discovery on two recorded calls."
LANGUAGES = (("en-GB", "Before and after"), ("zh-CN", None), ("nl-NL", None))
SIZES = (("desktop", None), ("phone", {"width": 390, "height": 844}))
WIDEST_NAME = "[...document.querySelectorAll('main *')].filter(e => !e.closest('.table-wrap') && e.getBoundingClientRect().right > window.innerWidth).map(e => e.tagName + '.' + e.className + ' ' + e.textContent.slice(0, 40)).slice(0, 5).join(' | ')"
WIDEST_IN_MAIN = "Math.max(...[...document.querySelectorAll('main *')].filter(e => !e.closest('.table-wrap')).map(e => e.getBoundingClientRect().right))"


def test_a_plan_is_reevaluated_and_a_review_is_shared_acknowledged_and_printed(
    demo, login_as, screenshot
):
    ruben = Person.objects.get(email=demo["rep"].email)
    plan = CoachingPlan.objects.get(rep=ruben, status=PlanStatus.ACTIVE)
    manager = login_as(demo["manager"])
    manager.goto("/plans/")
    screenshot(manager, "plans-reviews-plan-list")
    manager.get_by_role("link", name=plan.goal).click()
    assert manager.locator("h1").inner_text() == f"Coaching plan: {ruben.name}"
    with manager.expect_navigation():
        manager.get_by_role("button", name="Re-evaluate").click()
    plan.refresh_from_db()
    after = plan.reevaluation
    assert after is not None and after.template_id == plan.baseline.template_id
    # Rated on the assessment page, on the same checklist as the baseline.
    assert manager.url.endswith(f"/assessments/{after.pk}/rate/")
    competencies = manager.locator("fieldset.as-competency")
    for index in range(competencies.count()):
        competencies.nth(index).locator("input[type=radio][value=exceeds]").check()
        competencies.nth(index).locator("textarea").fill("Asked open questions first.")
    with manager.expect_navigation():
        manager.get_by_role("button", name="Submit").click()
    after.refresh_from_db()
    assert after.status == "submitted"
    manager.goto(f"/plans/{plan.pk}/")
    before_after = manager.locator("#before-after").inner_text()
    assert "better" in before_after
    manager.get_by_role("link", name="Close as re-evaluated").click()
    manager.fill("#id_outcome", "Discovery is now at the expected level.")
    with manager.expect_navigation():
        manager.get_by_role("button", name="Close as re-evaluated").click()
    assert manager.locator(".message").inner_text() == "Plan closed as re-evaluated."
    assert "Re-evaluated" in manager.locator(".pagehead").inner_text()
    screenshot(manager, "plans-reviews-plan-closed")

    # A review of the current quarter, written and shared by the manager.
    today = today_for(ruben.organisation)
    quarter = period_of(PeriodKind.QUARTER, today)
    manager.goto("/reviews/")
    manager.select_option("#id_rep", str(ruben.pk))
    manager.fill("#id_period_start", quarter.start.isoformat())
    with manager.expect_navigation():
        manager.get_by_role("button", name="Open a review").click()
    assert "A draft" in manager.locator(".pr-review-head").inner_text()
    manager.fill("#id_summary", SUMMARY)
    with manager.expect_navigation():
        manager.get_by_role("button", name="Share with the rep").click()
    assert "Review shared with the rep" in manager.locator(".message").inner_text()
    review = Review.objects.get(rep=ruben, period_start=quarter.start)
    assert review.record["rep"] == ruben.name

    rep = login_as(demo["rep"])
    rep.goto(f"/reviews/{review.pk}/")
    assert SUMMARY in rep.locator("#summary").inner_text()
    rep.fill("#id_comment", COMMENT)
    with rep.expect_navigation():
        rep.get_by_role("button", name="Acknowledge").click()
    assert COMMENT in rep.locator("#acknowledged").inner_text()
    screenshot(rep, "plans-reviews-review-acknowledged")

    # Chromium's PDF printer: the print stylesheet, pages with the name and the summary.
    rep.goto(f"/reviews/{review.pk}/print/")
    text = rep.locator("main").inner_text()
    assert ruben.name in text and SUMMARY in text and COMMENT in text
    rep.emulate_media(media="print")
    assert rep.locator(".topbar").is_hidden()
    assert rep.locator(".pr-toolbar").is_hidden()
    pdf = rep.pdf(format="A4", print_background=False)
    assert pdf.startswith(b"%PDF")
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    assert pages > 0, "no page in the PDF"
    screenshot(rep, "plans-reviews-review-print")


def test_plans_and_reviews_read_well_in_every_language_and_size(demo, login_as, screenshot):
    finished = CoachingPlan.objects.get(status=PlanStatus.REEVALUATED)
    review = Review.objects.filter(rep_comment__gt="").first()
    for locale, heading in LANGUAGES:
        for size, viewport in SIZES:
            manager = login_as(demo["manager"], locale=locale, viewport=viewport)
            for name, url in (
                ("plan", f"/plans/{finished.pk}/"),
                ("review", f"/reviews/{review.pk}/"),
                ("reviews", f"/reviews/?person={review.rep_id}"),
            ):
                manager.goto(url)
                if heading and name == "plan":
                    assert manager.locator("#before-after h2").inner_text() == heading
                assert manager.locator("main h1").count() >= 1
                if viewport:
                    widest = manager.evaluate(WIDEST_IN_MAIN)
                    assert widest <= viewport["width"] + 1, (
                        name,
                        locale,
                        manager.evaluate(WIDEST_NAME),
                    )
                screenshot(manager, f"plans-reviews-{name}-{locale[:2]}-{size}")
