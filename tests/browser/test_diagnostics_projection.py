"""The projection in a real browser: a leader reads DACH's projection and finds the slipping
rep, a manager reads the backtest, a rep their own projection; three languages, two sizes."""

from __future__ import annotations

import pytest

WIDEST_IN_MAIN = "Math.max(...[...document.querySelectorAll('main *')].filter(e => !e.closest('.pj-table-wrap')).map(e => e.getBoundingClientRect().right))"
LANGUAGES = (
    ("en-GB", "Projection", "My projection"),
    ("zh-CN", "预测", "我的预测"),
    ("nl-NL", "Prognose", "Mijn prognose"),
)
SIZES = (("desktop", None), ("phone", {"width": 390, "height": 844}))


@pytest.fixture
def demo_months(transactional_db):
    """The smallest demo with a year of sales, as the demo test builds it (the projection needs six months; the goals of a year make the slip show against target)."""
    from followthrough.demo.build import MIN_REPS, build_demo, logins

    build_demo(reps=MIN_REPS, months=12)
    return {login.role: login for login in logins()}


def test_the_projection_flags_the_slipping_rep_with_its_track_record(
    demo_months, login_as, screenshot
):
    from followthrough.people.models import Team

    dach = Team.objects.get(name="DACH")
    leader = login_as(demo_months["leader"])
    leader.goto("/early-warnings/projection/")
    leader.select_option("select[name=team]", label="DACH")
    with leader.expect_navigation():
        leader.get_by_role("button", name="Show").click()
    assert f"team={dach.pk}" in leader.url
    assert "DACH" in leader.locator("#chart-heading").inner_text()
    # Her prospecting slip is stated in words on any day; whether its gap crosses the
    # watch line depends on the day's random wins (the unit test pins a day for that).
    mia = leader.locator("tr", has_text="Mia Schulz")
    assert "below need" in mia.inner_text()
    names = leader.locator(".pj-table-wrap td.who").all_inner_texts()
    mia_at = next(i for i, text in enumerate(names) if "Mia Schulz" in text)
    jonas_at = next(i for i, text in enumerate(names) if "Jonas Weber" in text)
    assert mia_at < jonas_at  # sorted by projected gap: the slip before the steady rep
    assert leader.locator(".pj-chart rect.projected").count() == 4
    leader.get_by_text("projections checked").click()
    assert leader.locator(".pj-verdict").inner_text().startswith("The projection")
    screenshot(leader, "diagnostics-projection-leader")

    rep = login_as(demo_months["rep"])
    rep.goto("/early-warnings/projection/")
    assert rep.locator("h1").inner_text() == "My projection"
    assert rep.locator("select[name=team]").count() == 0
    assert "Mia" not in rep.content()
    screenshot(rep, "diagnostics-projection-rep")

    for locale, heading, mine in LANGUAGES:
        for size, viewport in SIZES:
            for who, title, name in (("manager", heading, "team"), ("rep", mine, "mine")):
                page = login_as(demo_months[who], locale=locale, viewport=viewport)
                page.goto("/early-warnings/projection/")
                assert page.locator("h1").inner_text() == title
                screenshot(page, f"diagnostics-projection-{name}-{locale}-{size}")
                assert page.evaluate(WIDEST_IN_MAIN) <= page.viewport_size["width"] + 1
                page.context.close()
