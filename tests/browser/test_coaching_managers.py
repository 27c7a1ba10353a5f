"""The manager scorecard and the managers' comparison in a real browser, in three
languages, on a desktop and a phone."""

from __future__ import annotations

import datetime as dt

import pytest

from followthrough.metrics.labels import format_share
from tests.browser.test_scorecard_pages import charts_drawn, collect_errors

PHONE = {"width": 390, "height": 844}


def seed_follow_through(today: dt.date) -> None:
    """A few weeks of 1:1s, commitments and self-reports for the demo's two managers,
    unless the coaching demo already made them (Maya follows through better than Otto)."""
    from followthrough.coaching.models import Commitment, Meeting, SelfReport
    from followthrough.demo.build import DEMO_SLUG
    from followthrough.people.lines import lines_on
    from followthrough.people.models import Organisation, Person

    org = Organisation.objects.get(slug=DEMO_SLUG)
    if Meeting.objects.filter(organisation=org).exists():
        return
    maya = Person.objects.get(organisation=org, name="Maya Manager")
    otto = Person.objects.get(organisation=org, name="Otto Keller")
    lines = lines_on(org, today).filter(manager__in=[maya, otto]).select_related("person")
    monday = today - dt.timedelta(days=today.weekday())
    for line in lines:
        good = line.manager_id == maya.pk
        for week in range(1, 5):
            day = monday - dt.timedelta(weeks=week)
            held = good or week % 2 == 0
            Meeting.objects.create(
                organisation=org,
                manager=line.manager,
                rep=line.person,
                scheduled_at=dt.datetime.combine(day, dt.time(9), dt.UTC),
                duration_minutes=45 if good else 30,
                status="held" if held else "missed",
                missed_by="" if held else "manager",
            )
            due = day + dt.timedelta(days=4)
            SelfReport.objects.create(
                organisation=org,
                rep=line.person,
                period_start=day,
                period_end=day + dt.timedelta(days=6),
                due_on=due,
                submitted_at=dt.datetime.combine(due, dt.time(15), dt.UTC),
                reviewed_at=dt.datetime.combine(due, dt.time(17), dt.UTC) if held else None,
            )
    for manager, kept in ((maya, 3), (otto, 1)):
        for n in range(3):
            due = monday - dt.timedelta(days=3 + 7 * n)
            done = n < kept
            Commitment.objects.create(
                organisation=org,
                owner=manager,
                text="Prepare the quarterly plan with each rep",
                created_on=due - dt.timedelta(days=10),
                due_on=due,
                status="done" if done else "missed",
                closed_on=due if done else None,
                evidence="Shared in the 1:1." if done else "",
            )


@pytest.fixture
def coaching(demo):
    from followthrough.demo.build import DEMO_SLUG
    from followthrough.people.lines import today_for
    from followthrough.people.models import Organisation

    today = today_for(Organisation.objects.get(slug=DEMO_SLUG))
    seed_follow_through(today)
    # The five weeks the seeded history covers, whatever day the tests run.
    start = today - dt.timedelta(days=34)
    demo["range"] = f"?kind=custom&start={start}&end={today}"
    from followthrough.coaching.managerscore import ONE_ON_ONES, manager_scorecards
    from followthrough.lib.periods import Period, PeriodKind
    from followthrough.people.models import Person

    org = Organisation.objects.get(slug=DEMO_SLUG)
    maya = Person.objects.get(email=demo["manager"].email)
    period = Period(start, today, PeriodKind.CUSTOM)
    card = manager_scorecards(org, [maya.pk], period, today)[maya.pk]
    demo["held_share"] = card.figures[ONE_ON_ONES].value
    return demo


def test_mayas_my_scorecard_is_her_manager_scorecard(coaching, login_as, screenshot):
    page = login_as(coaching["manager"])
    errors = collect_errors(page)
    page.goto("/me/" + coaching["range"])
    assert "/managers/" in page.url and "/scorecard/" in page.url
    assert page.locator("h1").inner_text() == "My scorecard"
    titles = page.locator(".manager-figure h2").all_inner_texts()
    assert titles[0] == "1:1s held" and "Team attainment" in titles
    # The page's figure is the one the scorecards compute (the demo's 1:1s of the range).
    held = page.locator(".manager-figure .actual").first.inner_text()
    assert held == format_share(coaching["held_share"])
    with page.expect_navigation():
        page.locator(".manager-figure .actual a").first.click()
    assert page.locator("h1").inner_text() == "1:1s held"
    assert page.locator("table.manager-records tbody tr").count() > 0
    assert errors == []
    page.go_back()
    screenshot(page, "coaching-manager-scorecard-en")


def test_mayas_scorecard_on_a_phone_in_dutch(coaching, login_as, screenshot):
    page = login_as(coaching["manager"], locale="nl-NL", viewport=PHONE)
    page.goto("/me/" + coaching["range"])
    assert page.locator("h1").inner_text() == "Mijn scorecard"
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1
    screenshot(page, "coaching-manager-scorecard-nl-phone")


def test_liam_compares_his_managers(coaching, login_as, screenshot):
    page = login_as(coaching["leader"])
    errors = collect_errors(page)
    page.goto("/managers/" + coaching["range"])
    names = page.locator("table.managers-table tbody th a").all_inner_texts()
    assert names == ["Maya Manager", "Otto Keller"]
    with page.expect_navigation():
        page.locator("table.managers-table thead a", has_text="1:1s held").click()
    assert "sort=one_on_ones" in page.url
    names = page.locator("table.managers-table tbody th a").all_inner_texts()
    assert names == ["Maya Manager", "Otto Keller"]  # highest first: 100 % against 50 %
    assert charts_drawn(page) == 1
    assert errors == []
    screenshot(page, "coaching-managers-en")


def test_liam_compares_managers_in_chinese_and_on_a_phone(coaching, login_as, screenshot):
    page = login_as(coaching["leader"], locale="zh-CN")
    with page.expect_navigation():
        page.select_option("select[name=language]", "zh-hans")
    page.goto("/managers/" + coaching["range"])
    assert page.locator("table.managers-table tbody tr").count() == 2
    assert charts_drawn(page) == 1
    screenshot(page, "coaching-managers-zh-hans")
    phone = login_as(coaching["leader"], viewport=PHONE)
    phone.goto("/managers/" + coaching["range"])
    screenshot(phone, "coaching-managers-en-phone")


def test_a_rep_reads_their_managers_figures(coaching, login_as, screenshot):
    page = login_as(coaching["rep"])
    page.goto("/me/")
    assert page.locator("h1").inner_text() == "My scorecard"  # a rep keeps their own
    from followthrough.people.models import Person

    manager_id = Person.objects.get(name="Maya Manager").pk
    page.goto(f"/managers/{manager_id}/scorecard/" + coaching["range"])
    assert page.locator("h1").inner_text() == "Manager scorecard: Maya Manager"
    screenshot(page, "coaching-manager-scorecard-rep-view")
    otto = Person.objects.get(name="Otto Keller").pk
    response = page.goto(f"/managers/{otto}/scorecard/")
    assert response.status == 403


def test_the_calendar_page_gives_a_private_address(coaching, login_as, screenshot):
    page = login_as(coaching["rep"])
    page.goto("/calendar/")
    with page.expect_navigation():
        page.get_by_role("button", name="Make my calendar address").click()
    address = page.locator("#feed-url").input_value()
    assert address.endswith(".ics")
    response = page.request.get(address)
    assert response.status == 200 and response.text().startswith("BEGIN:VCALENDAR")
    screenshot(page, "coaching-calendar-en")
