"""A weekly 1:1 in a real browser: the agenda, the rep's reflection, feedback, a private note."""

from __future__ import annotations

import datetime as dt

from followthrough.coaching.cadence import at, local_day
from followthrough.coaching.models import Meeting, MeetingNote, MeetingStatus, NoteKind
from followthrough.people.lines import today_for
from followthrough.people.models import Person
from tests.browser.conftest import SCREENSHOTS

SECRET = "Ruben is tired after the Initech loss; keep next month's goals reachable."
FEEDBACK = "Good reflection. Bring the close plan for your biggest deal to our next 1:1."
WIDEST_IN_MAIN = "Math.max(...[...document.querySelectorAll('main *')].filter(e => !e.closest('.table-scroll')).map(e => e.getBoundingClientRect().right))"
WIDEST_NAME = "[...document.querySelectorAll('main *')].filter(e => !e.closest('.table-scroll') && e.getBoundingClientRect().right > window.innerWidth).map(e => e.tagName + '.' + e.className).slice(0, 5).join(' ')"
LANGUAGES = (("en-GB", "Agenda"), ("zh-CN", "议程"), ("nl-NL", "Agenda"))
SIZES = (("desktop", None), ("phone", {"width": 390, "height": 844}))


def rubens_next_1_1(demo) -> Meeting:
    ruben = Person.objects.get(email=demo["rep"].email)
    today = today_for(ruben.organisation)
    return (
        Meeting.objects.filter(
            rep=ruben,
            kind="one_on_one",
            status=MeetingStatus.SCHEDULED,
            scheduled_at__gte=at(ruben.organisation, today, dt.time.min),
        )
        .select_related("organisation")
        .order_by("scheduled_at")
        .first()
    )


def test_a_weekly_1_1_from_agenda_to_held(demo, login_as, screenshot):
    meeting = rubens_next_1_1(demo)
    org = meeting.organisation
    today = today_for(org)
    manager = login_as(demo["manager"])
    manager.goto("/one-on-ones/")
    screenshot(manager, "meetings-list-manager")
    manager.goto(f"/one-on-ones/{meeting.pk}/")
    if local_day(org, meeting.scheduled_at) != today:
        # The 1:1 is later this week: the manager moves it to today.
        manager.get_by_role("link", name="Move", exact=True).click()
        manager.fill("#id_day", today.isoformat())
        manager.fill("#id_time", "07:00")
        with manager.expect_navigation():
            manager.get_by_role("button", name="Move").click()
        assert manager.locator(".message").inner_text() == "Meeting moved."
        meeting = Meeting.objects.get(moved_from=meeting)
    assert manager.locator("#agenda-title").inner_text() == "Agenda"
    sections = manager.locator(".agenda-section h3 .section-title").all_inner_texts()
    assert sections == [
        "Numbers since the last 1:1",
        "Commitments due",
        "Focus areas",
        "Early warnings",
        "Latest self-report",
        "Deals to look at",
        "Problems raised",
        "Added by either side",
    ]
    assert manager.locator(".kpi-table tbody tr").count() >= 5
    assert "Ask the rep to answer the questions first" in manager.locator("#feedback").inner_text()

    rep = login_as(demo["rep"])
    rep.goto(f"/one-on-ones/{meeting.pk}/")
    assert rep.locator("#private").count() == 0
    rep.fill("#id_q0", "Two discovery calls with economic buyers; the demo script works.")
    rep.fill("#id_q1", "I let the biggest deal drift for a week without a next step.")
    rep.fill("#id_q2", "End every call with a dated next step in the CRM.")
    with rep.expect_navigation():
        rep.get_by_role("button", name="Save my answers").click()
    assert rep.locator(".message").inner_text() == "Your answers are saved."

    manager.reload()
    assert "Two discovery calls" in manager.locator("#reflection").inner_text()
    manager.fill("#id_feedback-text", FEEDBACK)
    with manager.expect_navigation():
        manager.get_by_role("button", name="Save feedback").click()
    manager.fill("#id_private-text", SECRET)
    with manager.expect_navigation():
        manager.get_by_role("button", name="Save private note").click()
    assert SECRET in manager.locator("#private").inner_text()
    screenshot(manager, "meeting-manager-before-end")
    manager.get_by_role("link", name="End the meeting").first.click()
    manager.check("input[name=status][value=held]")
    with manager.expect_navigation():
        manager.get_by_role("button", name="End the meeting").click()
    assert manager.locator(".message").inner_text() == "Meeting ended."
    assert "As it stood when the meeting was held" in manager.locator(".agenda").inner_text()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD and meeting.agenda
    kinds = list(meeting.notes.order_by("created_at").values_list("kind", flat=True))
    assert kinds == [NoteKind.REFLECTION] * 3 + [NoteKind.FEEDBACK, NoteKind.PRIVATE]

    rep.reload()
    body = rep.locator("main").inner_text()
    assert FEEDBACK in body
    assert SECRET not in body and SECRET not in rep.content()
    screenshot(rep, "meeting-rep-held")


def test_the_meeting_page_reads_well_in_every_language_and_size(demo, login_as, screenshot):
    meeting = (
        Meeting.objects.filter(
            rep__email=demo["rep"].email,
            kind="one_on_one",
            status=MeetingStatus.HELD,
            notes__kind=NoteKind.PRIVATE,
        )
        .order_by("-scheduled_at")
        .first()
    )
    assert MeetingNote.objects.filter(meeting=meeting, kind=NoteKind.FEEDBACK).exists()
    upcoming = rubens_next_1_1(demo)
    for locale, heading in LANGUAGES:
        for size, viewport in SIZES:
            for name, pk in (("held", meeting.pk), ("upcoming", upcoming.pk)):
                page = login_as(demo["manager"], locale=locale, viewport=viewport)
                page.goto(f"/one-on-ones/{pk}/")
                assert page.locator("#agenda-title").inner_text() == heading
                screenshot(page, f"meeting-{name}-{locale}-{size}")
                page.screenshot(path=str(SCREENSHOTS / f"meeting-{name}-{locale}-{size}-top.png"))
                assert page.evaluate(WIDEST_IN_MAIN) <= page.viewport_size["width"], page.evaluate(
                    WIDEST_NAME
                )
                page.context.close()


def test_the_leader_sees_who_steps_in_and_the_manager_the_reviews_due(demo, login_as, screenshot):
    from followthrough.people.models import Team

    leader = login_as(demo["leader"])
    leader.goto("/stepped-in/")
    first = leader.locator(".stepped-counts tbody tr").first.locator("th").inner_text()
    assert first == "Otto Keller"
    screenshot(leader, "stepped-in-leader")
    benelux = Team.objects.get(name="Benelux")
    manager = login_as(demo["manager"], viewport={"width": 390, "height": 844})
    manager.goto(f"/teams/{benelux.pk}/deal-reviews/")
    assert "21 days" in manager.locator(".pagehead").inner_text()
    screenshot(manager, "deal-reviews-due-phone")
    manager.goto(f"/teams/{benelux.pk}/coaching/")
    assert manager.locator("#id_deal_review_days").input_value() == "21"
    screenshot(manager, "coaching-settings-phone")
