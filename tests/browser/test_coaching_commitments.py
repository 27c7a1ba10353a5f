"""Commitments, self-reports and "I'm stuck" in a real browser, in three languages and two sizes."""

from __future__ import annotations

import datetime as dt

from followthrough.coaching.models import Commitment, Notification, Problem, SelfReport
from followthrough.people.models import Person
from tests.browser.conftest import SCREENSHOTS

LANGUAGES = (
    ("en-GB", "Commitments", "en"),
    ("zh-CN", "承诺", "zh-hans"),
    ("nl-NL", "Toezeggingen", "nl"),
)
SIZES = (("desktop", None), ("phone", {"width": 390, "height": 844}))
WIDEST_IN_MAIN = (
    "Math.max(...[...document.querySelectorAll('main *')]"
    ".filter(e => !e.closest('.table-scroll')).map(e => e.getBoundingClientRect().right))"
)


def test_a_rep_commits_closes_reports_and_raises_a_problem_the_manager_is_told(
    demo, login_as, screenshot
):
    rep = Person.objects.get(email=demo["rep"].email)
    page = login_as(demo["rep"])
    due = (dt.date.today() + dt.timedelta(days=5)).isoformat()

    # A commitment with a due date; without one it is refused on the field.
    page.goto("/commitments/new/")
    page.fill("#id_text", "Book three demos with the trade-fair leads")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert "not accountable" in page.locator("#id_due_on_error").inner_text()
    page.fill("#id_due_on", due)
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    item = page.locator(".ft-item", has_text="Book three demos with the trade-fair leads")
    assert item.count() == 1

    # Marked done with its evidence.
    with page.expect_navigation():
        item.get_by_role("link", name="Close").click()
    page.fill("#id_evidence", "Three demos in the calendar for next week")
    with page.expect_navigation():
        page.get_by_role("button", name="Close it").click()
    done = Commitment.objects.get(text="Book three demos with the trade-fair leads")
    assert (done.status, done.evidence) == ("done", "Three demos in the calendar for next week")

    # This week's self-report, beside the system's numbers.
    page.goto("/self-reports/mine/")
    assert page.locator("#numbers-head").is_visible()
    page.fill("#id_results", "Three demos booked; one proposal out to Van Dijk.")
    page.fill("#id_coached_on", "asking for the next step on every call")
    page.fill("#id_changed", "I book the next meeting before I hang up")
    with page.expect_navigation():
        page.get_by_role("button", name="Submit the report").click()
    assert "Self-report submitted" in page.locator(".message").inner_text()
    screenshot(page, "coaching-self-report-written")
    report = SelfReport.objects.filter(rep=rep, submitted_at__isnull=False).latest("period_start")
    assert report.changed == "I book the next meeting before I hang up"

    # "I'm stuck" in two clicks from the scorecard.
    before = Problem.objects.filter(rep=rep).count()
    page.goto("/me/")
    with page.expect_navigation():
        page.get_by_role("link", name="I'm stuck").click()  # click one
    with page.expect_navigation():
        page.get_by_role("button", name="Tell my manager").click()  # click two
    assert Problem.objects.filter(rep=rep).count() == before + 1
    assert "good practice" in page.locator(".message").inner_text()
    screenshot(page, "coaching-problems-rep")

    # The manager has it at once.
    manager = Person.objects.get(email=demo["manager"].email)
    assert Notification.objects.filter(recipient=manager, read_at__isnull=True).count() == 2
    page = login_as(demo["manager"])
    page.goto("/notifications/")
    assert page.locator(".ft-count").inner_text() == "2"
    assert page.get_by_text("Ruben Rep is stuck and asks for your help.").first.is_visible()
    screenshot(page, "coaching-notifications-manager")


def test_the_commitments_and_self_report_pages_in_every_language_and_size(
    demo, login_as, screenshot
):
    rep = Person.objects.get(email=demo["rep"].email)
    report = (
        SelfReport.objects.filter(rep=rep, reviewed_at__isnull=False)
        .order_by("-period_start")
        .first()
    )
    assert report is not None
    for locale, heading, code in LANGUAGES:
        for size, viewport in SIZES:
            page = login_as(demo["manager"], locale=locale, viewport=viewport)
            page.goto("/commitments/")
            assert page.locator("h1").inner_text() == heading
            assert page.locator(".ft-item.is-overdue").count() >= 1
            screenshot(page, f"coaching-commitments-{code}-{size}")
            page.screenshot(path=str(SCREENSHOTS / f"coaching-commitments-{code}-{size}-top.png"))
            assert page.evaluate(WIDEST_IN_MAIN) <= page.viewport_size["width"]
            page.goto(f"/self-reports/{rep.pk}/{report.period_start.isoformat()}/")
            assert page.locator(".ft-kpis").is_visible()
            screenshot(page, f"coaching-self-report-{code}-{size}")
            assert page.evaluate(WIDEST_IN_MAIN) <= page.viewport_size["width"]
            page.context.close()
