"""Recognition in a real browser: a rep gives kudos and sees the feed, a manager shares a
win story and grants a badge; every page in three languages, on a desktop and a phone."""

from __future__ import annotations

from followthrough.people.models import Person
from followthrough.recognition.models import Kudos, Story

WIDEST_IN_MAIN = "Math.max(...[...document.querySelectorAll('main *')].map(e => e.getBoundingClientRect().right))"
LOCALES = ("en-GB", "zh-CN", "nl-NL")
SIZES = (("desktop", None), ("phone", {"width": 390, "height": 844}))


def test_a_rep_gives_kudos_and_a_manager_shares_a_win_story(demo, login_as, screenshot):
    ruben = Person.objects.get(email=demo["rep"].email)
    maya = Person.objects.get(email=demo["manager"].email)

    rep = login_as(demo["rep"])
    rep.get_by_role("navigation", name="Main").get_by_role("link", name="Recognition").click()
    assert rep.locator("h1").inner_text() == "Recognition"
    assert rep.locator(".rc-item").count() > 0
    rep.select_option("#id_recipient", label=maya.name)
    rep.fill("#id_message", "Thanks for the <b>pricing</b> role-play before the Initech call!")
    with rep.expect_navigation():
        rep.get_by_role("button", name="Send kudos").click()
    assert rep.locator(".message").inner_text() == f"Kudos sent to {maya.name}."
    first = rep.locator(".rc-feed .rc-item").first
    assert "Thanks for the <b>pricing</b> role-play" in first.inner_text()
    assert Kudos.objects.filter(sender=ruben, recipient=maya).exists()
    screenshot(rep, "recognition-feed-rep")

    # Kudos to oneself are not offered, and the budget says what is left.
    assert rep.locator(f"#id_recipient option[value='{ruben.pk}']").count() == 0
    assert "kudos left this month" in rep.locator(".rc-budget").inner_text()

    manager = login_as(demo["manager"])
    manager.goto("/recognition/stories/")
    deal_link = manager.locator(".rc-deals a").first
    deal_name = deal_link.inner_text()
    with manager.expect_navigation():
        deal_link.click()
    manager.fill("#id_worked", "We rehearsed the negotiation together; the rep led the call.")
    manager.fill("#id_did_not_work", "I joined the first pricing round too early.")
    with manager.expect_navigation():
        manager.get_by_role("button", name="Save the story").click()
    assert manager.locator(".message").inner_text() == "Your story is saved."
    assert "We rehearsed the negotiation" in manager.locator(".rc-story").first.inner_text()
    assert Story.objects.filter(author=maya).exists()
    screenshot(manager, "recognition-stories-manager")

    manager.goto(f"/recognition/people/{ruben.pk}/")
    manager.select_option("#id_badge", label="✦ Team player")
    manager.fill("#id_reason", "Helped the new hires with their first demos.")
    with manager.expect_navigation():
        manager.get_by_role("button", name="Grant").click()
    assert manager.locator(".message").inner_text() == f"Badge granted to {ruben.name}."
    screenshot(manager, "recognition-badges-manager")

    rep.reload()
    assert "We rehearsed the negotiation" in rep.locator(".rc-feed").inner_text()
    assert deal_name in rep.locator(".rc-feed").inner_text()


def test_recognition_pages_read_well_in_every_language_and_size(demo, login_as, screenshot):
    ruben = Person.objects.get(email=demo["rep"].email)
    for locale in LOCALES:
        for size, viewport in SIZES:
            for who, path, name in (
                ("rep", "/recognition/", "feed"),
                ("rep", f"/recognition/people/{ruben.pk}/", "badges"),
                ("manager", "/recognition/stories/", "stories"),
            ):
                page = login_as(demo[who], locale=locale, viewport=viewport)
                page.goto(path)
                assert page.locator("h1").count() == 1
                screenshot(page, f"recognition-{name}-{locale}-{size}")
                assert page.evaluate(WIDEST_IN_MAIN) <= page.viewport_size["width"] + 1
                page.context.close()
