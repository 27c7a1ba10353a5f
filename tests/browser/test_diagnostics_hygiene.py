"""CRM hygiene and integrity in a real browser: the manager's lists, the rep's own, three
languages, desktop and phone."""

from __future__ import annotations

from followthrough.people.models import Person

WIDEST_IN_MAIN = "Math.max(...[...document.querySelectorAll('main *')].filter(e => !e.closest('.table-wrap')).map(e => e.getBoundingClientRect().right))"
LANGUAGES = (
    ("en-GB", "CRM hygiene", "Integrity"),
    ("zh-CN", "CRM 数据卫生", "数据诚信"),
    ("nl-NL", "CRM-hygiëne", "Integriteit"),
)
SIZES = (("desktop", None), ("phone", {"width": 390, "height": 844}))


def test_a_manager_reads_the_hygiene_list_and_the_integrity_prompts(demo, login_as, screenshot):
    manager = login_as(demo["manager"])
    manager.goto("/early-warnings/hygiene/")
    assert manager.locator("h1").inner_text() == "CRM hygiene"
    assert "%" in manager.locator(".hyg-score strong").inner_text()
    assert manager.locator(".hyg-chart svg polyline").count() == 1
    team = manager.locator("select[name=team] option").nth(1)
    manager.select_option("select[name=team]", team.get_attribute("value"))
    with manager.expect_navigation():
        manager.get_by_role("button", name="Show").click()
    assert "team=" in manager.url
    manager.get_by_role("link", name="Integrity").click()
    assert manager.locator("h1").inner_text() == "Integrity"
    assert manager.locator("#talk-heading").is_visible()

    rep = login_as(demo["rep"])
    ruben = Person.objects.get(email=demo["rep"].email)
    rep.goto("/early-warnings/hygiene/")
    assert "Your open deals" in rep.locator(".pagehead").inner_text()
    assert rep.get_by_role("link", name="Integrity").count() == 0
    assert ruben.name not in rep.locator("#deals-heading ~ *").first.inner_text()
    rep.goto("/early-warnings/integrity/")
    assert "403" in rep.title() or rep.locator("h1").inner_text() != "Integrity"


def test_the_hygiene_pages_read_well_in_every_language_and_size(demo, login_as, screenshot):
    for locale, hygiene, integrity in LANGUAGES:
        for size, viewport in SIZES:
            for who, url, title in (
                ("manager", "/early-warnings/hygiene/", hygiene),
                ("manager", "/early-warnings/integrity/", integrity),
                ("rep", "/early-warnings/hygiene/", hygiene),
            ):
                page = login_as(demo[who], locale=locale, viewport=viewport)
                page.goto(url)
                assert page.locator("h1").inner_text() == title
                name = url.strip("/").split("/")[-1]
                screenshot(page, f"diagnostics-{name}-{who}-{locale}-{size}")
                assert page.evaluate(WIDEST_IN_MAIN) <= page.viewport_size["width"] + 1
                page.close()
