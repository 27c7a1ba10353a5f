"""A month of weekly 1:1s, end to end in the browser, with the clock moving week by week.

Maya sets a weekly cadence with Rita; for four Mondays they meet. Rita reflects first,
Maya gives feedback; commitments come out of the 1:1s; Rita reports on Fridays (she
skips one); she raises "I'm stuck" from her scorecard and Maya is told at once; one
commitment goes overdue and is marked; one 1:1 is missed. At the end Maya's manager
scorecard counts 3 of 4 1:1s held, as computed by hand.
"""

from __future__ import annotations

import datetime as dt

import time_machine

from followthrough.coaching.models import (
    Commitment,
    Meeting,
    MeetingStatus,
    Notification,
    Problem,
    SelfReport,
)

MONDAY = dt.date(2027, 3, 1)  # four Mondays in March: the 1st, 8th, 15th and 22nd
WEEK = dt.timedelta(days=7)


def moment(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=dt.UTC)


def meeting_of(rep, week: int) -> Meeting:
    return Meeting.objects.filter(rep=rep, kind="one_on_one").order_by("scheduled_at")[week]


def reflect(page, meeting: Meeting, answers: tuple[str, str, str]) -> None:
    page.goto(f"/one-on-ones/{meeting.pk}/")
    for index, answer in enumerate(answers):
        page.fill(f"#id_q{index}", answer)
    with page.expect_navigation():
        page.get_by_role("button", name="Save my answers").click()


def feedback(page, meeting: Meeting, text: str) -> None:
    page.goto(f"/one-on-ones/{meeting.pk}/")
    page.fill("#id_feedback-text", text)
    with page.expect_navigation():
        page.get_by_role("button", name="Save feedback").click()


def commit_in_meeting(page, meeting: Meeting, owner_name: str, text: str, due: dt.date) -> None:
    page.goto(f"/one-on-ones/{meeting.pk}/")
    page.get_by_role("link", name=f"A commitment of {owner_name}").click()
    page.fill("#id_text", text)
    page.fill("#id_due_on", due.isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert f"/one-on-ones/{meeting.pk}/" in page.url


def end(page, meeting: Meeting, status: str, missed_by: str = "") -> None:
    page.goto(f"/one-on-ones/{meeting.pk}/end/")
    page.check(f"input[name=status][value={status}]")
    if missed_by:
        page.select_option("#id_missed_by", missed_by)
    with page.expect_navigation():
        page.get_by_role("button", name="End the meeting").click()
    assert page.locator(".message").inner_text() == "Meeting ended."


def self_report(page, results: str) -> None:
    page.goto("/self-reports/mine/")
    page.fill("#id_results", results)
    page.fill("#id_coached_on", "a dated next step on every call")
    page.fill("#id_changed", "I book the next meeting before I hang up")
    with page.expect_navigation():
        page.get_by_role("button", name="Submit the report").click()
    assert "Self-report submitted" in page.locator(".message").inner_text()


def agenda_text(page, meeting: Meeting, section: str) -> str:
    page.goto(f"/one-on-ones/{meeting.pk}/")
    return page.locator(".agenda-section", has_text=section).inner_text()


def test_a_manager_and_a_rep_run_a_month_of_weekly_1_1s(cast, login_as, screenshot):
    rita, maya = cast.rep, cast.manager

    # Monday 1 March, 08:00: Maya sets the weekly cadence, Mondays at 10:00.
    with time_machine.travel(moment(MONDAY, 8), tick=True):
        manager = login_as(maya)
        manager.goto(f"/people/{rita.pk}/cadence/")
        manager.select_option("#id_frequency", "weekly")
        manager.select_option("#id_weekday", "0")
        manager.fill("#id_time", "10:00")
        with manager.expect_navigation():
            manager.get_by_role("button", name="Save").click()
        manager.context.close()
    first = meeting_of(rita, 0)
    assert first.scheduled_at == moment(MONDAY, 10)
    assert meeting_of(rita, 3).scheduled_at == moment(MONDAY + 3 * WEEK, 10)

    # Week 1: reflection first, then feedback; a commitment due Friday; held.
    with time_machine.travel(moment(MONDAY, 10, 30), tick=True):
        rep = login_as(rita)
        manager = login_as(maya)
        feedback_box = manager.goto(f"/one-on-ones/{first.pk}/") and manager.locator("#feedback")
        assert "Ask the rep to answer the questions first" in feedback_box.inner_text()
        reflect(
            rep,
            first,
            ("Two first meetings from cold calls.", "Slow follow-up.", "Call back the same day."),
        )
        feedback(manager, first, "Good start. Same-day follow-up is the right change.")
        commit_in_meeting(
            rep,
            first,
            rita.name,
            "Follow up every first meeting the same day",
            MONDAY + dt.timedelta(days=4),
        )
        end(manager, first, "held")
        screenshot(manager, "month-week1-held")
        rep.context.close()
        manager.context.close()
    kept = Commitment.objects.get(owner=rita)
    assert (kept.meeting_id, kept.due_on) == (first.pk, MONDAY + dt.timedelta(days=4))

    # Thursday: Rita closes it with evidence; Friday: her first self-report.
    with time_machine.travel(moment(MONDAY + dt.timedelta(days=3), 15), tick=True):
        rep = login_as(rita)
        rep.goto("/commitments/")
        item = rep.locator(".ft-item", has_text="Follow up every first meeting")
        with rep.expect_navigation():
            item.get_by_role("link", name="Close").click()
        rep.fill("#id_evidence", "Five follow-ups sent within the hour this week")
        with rep.expect_navigation():
            rep.get_by_role("button", name="Close it").click()
        rep.context.close()
    with time_machine.travel(moment(MONDAY + dt.timedelta(days=4), 16), tick=True):
        rep = login_as(rita)
        self_report(rep, "Five first meetings followed up the same day; one became a demo.")
        rep.context.close()

    # Week 2: the agenda shows last week's report; a new commitment Rita will not keep.
    second = meeting_of(rita, 1)
    with time_machine.travel(moment(MONDAY + WEEK, 10, 30), tick=True):
        rep = login_as(rita)
        manager = login_as(maya)
        assert "one became a demo" in agenda_text(manager, second, "Latest self-report")
        reflect(
            rep,
            second,
            (
                "The demo went well.",
                "I had no next step after it.",
                "Agree the next step before the demo ends.",
            ),
        )
        feedback(manager, second, "Bring a mutual plan to the next demo.")
        commit_in_meeting(
            rep,
            second,
            rita.name,
            "Send a mutual plan after every demo",
            MONDAY + WEEK + dt.timedelta(days=4),
        )
        end(manager, second, "held")
        rep.context.close()
        manager.context.close()

    # Wednesday: Rita is stuck and says so from her scorecard, in two clicks.
    with time_machine.travel(moment(MONDAY + WEEK + dt.timedelta(days=2), 11), tick=True):
        rep = login_as(rita)
        rep.goto("/me/")
        rep.get_by_role("link", name="I'm stuck").click()
        with rep.expect_navigation():
            rep.get_by_role("button", name="Tell my manager").click()
        rep.context.close()
        problem = Problem.objects.get(rep=rita)
        assert problem.manager == maya
        manager = login_as(maya)
        manager.goto("/one-on-ones/")
        assert manager.locator("a.unread").inner_text() == "1 new notification"
        manager.context.close()
    assert Notification.objects.filter(recipient=maya, kind="problem_raised").count() == 1
    # Rita writes no self-report this week: Friday passes.

    # Week 3: the problem, the overdue commitment and the missed report are on the
    # agenda; Rita misses the 1:1 itself.
    third = meeting_of(rita, 2)
    with time_machine.travel(moment(MONDAY + 2 * WEEK, 10, 30), tick=True):
        manager = login_as(maya)
        assert "Problems raised" in agenda_text(manager, third, "Problems raised")
        overdue = agenda_text(manager, third, "Commitments due")
        assert "Send a mutual plan after every demo" in overdue
        assert "overdue" in overdue.lower()
        screenshot(manager, "month-week3-agenda")
        manager.goto("/commitments/")
        marked = manager.locator(".ft-item.is-overdue", has_text="Send a mutual plan")
        assert marked.count() == 1
        assert "Not submitted" in agenda_text(manager, third, "Latest self-report")
        manager.goto("/self-reports/")
        assert manager.locator("tr.is-overdue", has_text="Missed").count() == 1
        end(manager, third, "missed", missed_by="rep")
        manager.context.close()
    missed = SelfReport.objects.get(rep=rita, period_start=MONDAY + WEEK)
    assert missed.submitted_at is None and missed.due_on < MONDAY + 2 * WEEK

    # Week 4: held again; the manager scorecard counts the month so far.
    fourth = meeting_of(rita, 3)
    with time_machine.travel(moment(MONDAY + 3 * WEEK, 10, 30), tick=True):
        rep = login_as(rita)
        manager = login_as(maya)
        reflect(
            rep,
            fourth,
            ("I raised the blocker early.", "The plan slipped.", "Plans go out the same day."),
        )
        feedback(manager, fourth, "Raising it early was right. Let's unblock it together.")
        end(manager, fourth, "held")
        manager.goto(f"/managers/{maya.pk}/scorecard/?kind=month&date=2027-03-22")
        screenshot(manager, "month-manager-scorecard")
        figure = manager.locator(".figure-one_on_ones").inner_text()
        # Held 1, 8 and 22 March; missed the 15th; the 29th is still to come.
        assert "75 %" in figure and "3 of 4" in figure
        # Three held 1:1s of 30 minutes; Rita's one submitted report not yet reviewed.
        assert "90 minutes" in manager.locator(".figure-coaching_time").inner_text()
        assert "0 of 1" in manager.locator(".figure-self_reports").inner_text()
        rep.context.close()
        manager.context.close()
    statuses = [m.status for m in Meeting.objects.filter(rep=rita).order_by("scheduled_at")[:4]]
    assert statuses == [
        MeetingStatus.HELD,
        MeetingStatus.HELD,
        MeetingStatus.MISSED,
        MeetingStatus.HELD,
    ]
