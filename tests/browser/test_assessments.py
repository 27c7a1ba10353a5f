"""The sales-management checklist in a real browser: assess, ask a peer, self-assessment
first, focus areas on the 1:1 agenda; the pages in three languages and two sizes."""

from __future__ import annotations

from followthrough.assessments.models import Assessment, AssessmentKind, AssessmentStatus
from followthrough.people.models import Person
from tests.browser.test_coaching_meetings import WIDEST_IN_MAIN, WIDEST_NAME, rubens_next_1_1

LANGUAGES = (("en-GB", "Assessments"), ("zh-CN", "评估"), ("nl-NL", "Beoordelingen"))
SIZES = (("desktop", None), ("phone", {"width": 390, "height": 844}))
SECRET = "Talk about the team lead role at the review."
FOCUS_NOTE = "Two discovery calls a week with a written agenda."


def rate_every_competency(page, level: str, evidence: str) -> None:
    competencies = page.locator("fieldset.as-competency")
    for index in range(competencies.count()):
        one = competencies.nth(index)
        one.locator(f"input[type=radio][value={level}]").check()
        one.locator("textarea").fill(f"{evidence} ({index + 1})")


def test_a_manager_assesses_the_rep_who_writes_a_self_assessment_first(demo, login_as, screenshot):
    ruben = Person.objects.get(email=demo["rep"].email)
    manager = login_as(demo["manager"])
    manager.goto(f"/assessments/new/?rep={ruben.pk}")
    assert manager.locator("#id_ask_self_first").is_checked()
    with manager.expect_navigation():
        manager.get_by_role("button", name="Start").click()
    assert "/rate/" in manager.url
    assert "Establishes commonality" in manager.locator(".as-rate").inner_text()
    rate_every_competency(manager, "meets", "Seen in our deal review")
    manager.fill("#id_private_note", SECRET)
    screenshot(manager, "assessments-rate-manager")
    with manager.expect_navigation():
        manager.get_by_role("button", name="Submit").click()
    assert manager.locator(".message").inner_text() == "Assessment submitted."
    mine = Assessment.objects.get(pk=int(manager.url.rstrip("/").split("/")[-1]))
    assert (mine.rep, mine.status) == (ruben, AssessmentStatus.SUBMITTED)
    assert mine.private_note == SECRET

    # A peer review, asked of Sara.
    manager.goto(f"/assessments/peers/?rep={ruben.pk}")
    manager.get_by_label("Sara Visser").check()
    with manager.expect_navigation():
        manager.get_by_role("button", name="Ask them").click()
    assert "1 peer is asked to review Ruben Rep." in manager.locator(".message").inner_text()

    # Ruben must write his own first.
    rep = login_as(demo["rep"])
    rep.goto(f"/assessments/{mine.pk}/")
    assert rep.locator("h1").inner_text() == "Write your self-assessment first"
    screenshot(rep, "assessments-rep-hidden")
    with rep.expect_navigation():
        rep.get_by_role("link", name="Write my self-assessment").click()
    assert "/rate/" in rep.url
    rate_every_competency(rep, "exceeds", "My best quarter")
    with rep.expect_navigation():
        rep.get_by_role("button", name="Submit").click()
    rep.goto(f"/assessments/{mine.pk}/")
    assert "Seen in our deal review (1)" in rep.locator(".as-ratings").first.inner_text()
    assert SECRET not in rep.content()
    screenshot(rep, "assessments-rep-reads-manager")

    # Side by side, then focus areas picked from it.
    manager.goto(f"/assessments/{mine.pk}/")
    compare = manager.locator(".as-compare").inner_text()
    assert "Exceeds expectations" in compare and "Meets expectations" in compare
    screenshot(manager, "assessments-detail-manager")
    manager.get_by_role("link", name="Pick focus areas").click()
    manager.select_option("#id_competency", index=3)
    manager.fill("#id_note", FOCUS_NOTE)
    with manager.expect_navigation():
        manager.get_by_role("button", name="Pick it").click()
    assert "Focus area picked" in manager.locator(".message").inner_text()

    meeting = rubens_next_1_1(demo)
    manager.goto(f"/one-on-ones/{meeting.pk}/")
    section = manager.locator("#section-focus_areas").inner_text()
    assert FOCUS_NOTE in section
    screenshot(manager, "assessments-agenda-focus")
    rep.goto("/focus-areas/")
    assert rep.locator("h1").inner_text() == "My focus areas"
    assert FOCUS_NOTE in rep.locator(".as-focus").inner_text()


def test_the_assessment_pages_read_well_in_every_language_and_size(demo, login_as, screenshot):
    ruben = Person.objects.get(email=demo["rep"].email)
    sample = (
        Assessment.objects.filter(
            rep=ruben, kind=AssessmentKind.MANAGER, status=AssessmentStatus.SUBMITTED
        )
        .order_by("-cycle_start")
        .first()
    )
    for locale, heading in LANGUAGES:
        for size, viewport in SIZES:
            page = login_as(demo["manager"], locale=locale, viewport=viewport)
            page.goto("/assessments/")
            assert page.locator("h1").inner_text() == heading
            screenshot(page, f"assessments-list-{locale}-{size}")
            for name, url in (
                ("detail", f"/assessments/{sample.pk}/"),
                ("focus", f"/focus-areas/?person={ruben.pk}"),
            ):
                page.goto(url)
                screenshot(page, f"assessments-{name}-{locale}-{size}")
                assert page.evaluate(WIDEST_IN_MAIN) <= page.viewport_size["width"], page.evaluate(
                    WIDEST_NAME
                )
            page.context.close()
