"""Browser fixtures: a live server, Debian's Chromium driven by Playwright, logged-in pages.

Every test in this folder is marked `browser` and skipped, with the reason printed,
when Chromium is not installed. Use them like this:

    def test_a_rep_sees_their_scorecard(cast, login_as, screenshot):
        page = login_as(cast.rep)
        assert page.locator("h1").inner_text() == "My scorecard"
        screenshot(page, "rep-scorecard")

    def test_the_demo_manager_lands_on_my_team(demo, login_as):
        page = login_as(demo["manager"])

`login_as` takes a Person (of the cast: the password is tests.cast.PASSWORD), a
DemoLogin (from the `demo` fixture) or an e-mail address and a password, and logs in
through the real login form; `locale="nl-NL"` or `viewport={"width": 390, "height": 844}`
open the page in another language or size. `page` is a fresh page of a fresh browser
context, not logged in. Pages open relative URLs against the live server:
`page.goto("/me/")`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

# Playwright's sync API runs an event loop in the test thread; Django then refuses
# database calls from that thread unless told that this is deliberate.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HERE = Path(__file__).resolve().parent
SCREENSHOTS = HERE.parent.parent / "var" / "screenshots"
VIEWPORT = {"width": 1280, "height": 800}
# Playwright waits this long (ms) for a page or an element before failing a test.
TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(config, items) -> None:
    """Mark this folder's tests `browser`; skip them all when Chromium is absent.

    Under CI (CI=true) a missing Chromium fails the run instead: CI installs it, so
    its absence there is a broken set-up, not a reason to pass without browser tests.
    """
    mine = [item for item in items if HERE in Path(str(item.fspath)).resolve().parents]
    if mine and not CHROMIUM.exists() and os.environ.get("CI", "").lower() in ("1", "true"):
        raise pytest.UsageError(f"CI: Chromium is not installed at {CHROMIUM}")
    skip = pytest.mark.skip(
        reason=f"Chromium is not installed at {CHROMIUM}: browser tests skipped "
        "(apt-get install chromium)"
    )
    for item in mine:
        item.add_marker(pytest.mark.browser)
        if not CHROMIUM.exists():
            item.add_marker(skip)


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver):
    """Headless Chromium from the system; Playwright downloads no browser of its own."""
    chromium = playwright_driver.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    yield chromium
    chromium.close()


@pytest.fixture
def new_page(browser, live_server) -> Iterator[Callable[..., object]]:
    """Open a page in a fresh context (own cookies) against the live server."""
    contexts = []

    def open_page(locale: str = "en-GB", viewport: dict[str, int] | None = None):
        context = browser.new_context(
            base_url=live_server.url, viewport=viewport or VIEWPORT, locale=locale
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A fresh page, not logged in."""
    return new_page()


@pytest.fixture
def cast(transactional_db) -> SimpleNamespace:
    """The cast of tests/cast.py (rep, rep2, manager, ... outsider), in the live database."""
    from tests.cast import CastMixin

    holder = type("Cast", (CastMixin,), {})
    holder.build_cast()
    return SimpleNamespace(
        **{name: value for name, value in vars(holder).items() if not name.startswith("_")}
    )


@pytest.fixture
def demo(transactional_db) -> dict[str, object]:
    """The demo organisation; returns its DemoLogin per role: rep, manager, leader, admin.

    The smallest demo (two teams) with two months of sales: enough for every page to
    have numbers, and quick to build again after the flush that follows each test.
    Prefer the `cast` where a test does not need the demo itself.
    """
    from followthrough.demo.build import MIN_REPS, build_demo, logins

    build_demo(reps=MIN_REPS, months=2)
    return {login.role: login for login in logins()}


def log_in(page, email: str, password: str) -> None:
    """Fill and submit the real login form; wait until the landing page has loaded."""
    page.goto("/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("form[action$='/accounts/login/'] button[type=submit]")


@pytest.fixture
def login_as(new_page) -> Callable[..., object]:
    """Log in through the login form as a cast Person, a DemoLogin or an e-mail address."""
    from tests.cast import PASSWORD

    def login(who, password: str | None = None, **page_options):
        email = who if isinstance(who, str) else who.email
        if password is None:
            password = getattr(who, "password", PASSWORD)
        page = new_page(**page_options)
        log_in(page, email, password)
        if "/accounts/login/" in page.url:
            raise AssertionError(f"logging in as {email} failed: still on {page.url}")
        return page

    return login


@pytest.fixture
def screenshot() -> Callable[..., Path]:
    """Save a full-page screenshot as var/screenshots/NAME.png and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
