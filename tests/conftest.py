"""Fixtures for every test."""

from __future__ import annotations

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _default_language_for_each_test():
    # A page requested in Dutch leaves Dutch active in the thread (LocaleMiddleware
    # activates it and nothing deactivates it): the next test must not read in Dutch.
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def smtp_server(request):
    """A real local SMTP server (tests/smtp.py); the test class reads what it received in
    `self.mailbox`."""
    from tests.smtp import Mailbox, serving

    mailbox = Mailbox()
    controller, email_settings = serving(mailbox)
    request.cls.mailbox = mailbox
    with email_settings:
        yield controller
    controller.stop()
