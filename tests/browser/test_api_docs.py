"""The interactive API docs render in a real browser from the files served here, under the
site's Content-Security-Policy (no inline script, no CDN)."""

from __future__ import annotations

from tests.browser.conftest import SCREENSHOTS

LOCAL = ("localhost", "127.0.0.1")


def test_the_api_docs_render_by_capability_and_break_no_policy(page):
    refused, outside = [], []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    page.on("request", lambda r: None if any(h in r.url for h in LOCAL) else outside.append(r.url))
    page.goto("/api/docs/")
    # Sections by capability, in order (Swagger UI draws the later ones as they scroll in).
    page.locator(".opblock-tag", has_text="agreements").wait_for()
    page.locator(
        ".opblock-summary-path", has_text="/api/v1/agreements/{id}/acknowledge/"
    ).wait_for()
    assert refused == []
    assert outside == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "api-docs.png"))
