"""The weekly digest as a mail client shows it, and the e-mail settings, in a real browser:
three languages, desktop and phone; a rep turns the digest off and on again."""

from __future__ import annotations

LANGUAGES = (
    ("en", "Your goals this month", "Your team"),
    ("zh-hans", "你本月的目标", "你的团队"),
    ("nl", "Je doelen deze maand", "Je team"),
)
SIZES = (("desktop", {"width": 1280, "height": 900}), ("phone", {"width": 390, "height": 844}))
SIDEWAYS = "document.documentElement.scrollWidth > window.innerWidth + 1"


def rendered(email: str, language: str) -> str:
    from followthrough.notify import digests, weekly
    from followthrough.notify.models import Preference
    from followthrough.people.lines import today_for
    from followthrough.people.models import Person

    person = Person.objects.get(email=email)
    org = person.organisation
    built = digests.build_week(org, digests.week_of(today_for(org)), [person])
    chosen = Preference(organisation=org, person=person, language=language)
    return weekly.render_email(built, person, chosen).html


def test_the_digest_reads_well_in_a_mail_client_and_a_rep_turns_it_off_and_on(
    demo, browser, login_as, screenshot
):
    from followthrough.notify.models import Preference

    # One demo for both parts: its build is most of the time.
    for language, rep_heading, manager_heading in LANGUAGES:
        for role, heading in (("rep", rep_heading), ("manager", manager_heading)):
            html = rendered(demo[role].email, language)
            for size, viewport in SIZES:
                context = browser.new_context(viewport=viewport)
                page = context.new_page()
                page.set_content(html)
                assert page.get_by_role("heading", name=heading).is_visible()
                assert not page.evaluate(SIDEWAYS), f"{role} {language} {size} scrolls sideways"
                screenshot(page, f"digest-{role}-{language}-{size}")
                context.close()

    page = login_as(demo["rep"])
    page.get_by_role("link", name="E-mail").click()
    page.get_by_label("Weekly digest by e-mail").uncheck()
    page.get_by_label("Time zone").fill("Asia/Shanghai")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert "saved" in page.locator(".messages, [role=status], .message").first.inner_text()
    chosen = Preference.objects.get(person__email=demo["rep"].email)
    assert (chosen.digest, chosen.timezone) == (False, "Asia/Shanghai")
    screenshot(page, "digest-settings")
    page.get_by_label("Weekly digest by e-mail").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    chosen.refresh_from_db()
    assert chosen.digest
