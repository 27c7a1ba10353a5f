"""A new login's invitation, in the browser: the admin invites, the person chooses a password."""

from __future__ import annotations

import re

import pytest
from django.core import mail

PHONE = {"width": 390, "height": 844}
LINK = re.compile(r"https?://[^/\s]+(/accounts/invitation/[^/\s]+/[^/\s]+/)")
PASSWORD = "nina's own passphrase"
LANGUAGES = [("en-GB", "en"), ("nl-NL", "nl"), ("zh-CN", "zh")]


def invite_nina(login_as, cast, screenshot=None):
    """The admin adds Nina with a login through the person form; returns the admin's page."""
    page = login_as(cast.admin)
    page.goto("/settings/people/new/")
    page.fill("input[name=name]", "Nina Nieuw")
    page.fill("input[name=email]", "nina@acme.test")
    page.check("input[name=can_log_in]")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    return page


def invitation_path() -> str:
    found = LINK.search(mail.outbox[-1].body)
    assert found, mail.outbox[-1].body
    return found.group(1)


def test_the_admin_sees_the_invitation_sent_and_can_send_it_again(cast, login_as, screenshot):
    page = invite_nina(login_as, cast)
    assert "An invitation to choose a password was sent to nina@acme.test" in page.content()
    assert page.locator("text=Invited; no password chosen yet").is_visible()
    screenshot(page, "invitation-person-page")
    with page.expect_navigation():
        page.click("button:has-text('Send the invitation again')")
    assert len(mail.outbox) == 2
    screenshot(page, "invitation-sent-again")
    phone = login_as(cast.admin, viewport=PHONE)
    phone.goto(page.url)
    screenshot(phone, "invitation-person-page-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize(("locale", "name"), LANGUAGES)
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_invited_person_chooses_a_password_and_logs_in(
    cast, login_as, new_page, screenshot, locale, name, size
):
    invite_nina(login_as, cast)
    viewport = PHONE if size == "phone" else None
    page = new_page(locale=locale, viewport=viewport)
    page.goto(invitation_path())
    assert page.locator("input[name=new_password1]").is_visible()
    assert "nina@acme.test" in page.locator(".auth-head").inner_text()
    if size == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, f"invitation-choose-password-{name}-{size}")
    page.fill("input[name=new_password1]", PASSWORD)
    page.fill("input[name=new_password2]", PASSWORD)
    with page.expect_navigation():
        page.click("form button[type=submit]")
    assert "/accounts/login/" in page.url
    assert page.locator(".messages").is_visible()
    screenshot(page, f"invitation-password-set-{name}-{size}")
    page.fill("input[name=username]", "nina@acme.test")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("form[action$='/accounts/login/'] button[type=submit]")
    assert "/accounts/login/" not in page.url


@pytest.mark.parametrize(("locale", "name"), LANGUAGES)
def test_a_used_invitation_says_so(cast, login_as, new_page, screenshot, locale, name):
    invite_nina(login_as, cast)
    path = invitation_path()
    page = new_page(locale=locale)
    page.goto(path)
    page.fill("input[name=new_password1]", PASSWORD)
    page.fill("input[name=new_password2]", PASSWORD)
    with page.expect_navigation():
        page.click("form button[type=submit]")
    page.goto(path)
    assert page.locator("input[name=new_password1]").count() == 0
    screenshot(page, f"invitation-used-{name}")
