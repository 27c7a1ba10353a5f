"""Shared fixtures of the notify tests."""

from __future__ import annotations

import pytest

from tests.smtp import Mailbox, serving


@pytest.fixture
def smtp_server(request):
    """A real local SMTP server; the test class reads what it received in `self.mailbox`."""
    mailbox = Mailbox()
    controller, email_settings = serving(mailbox)
    request.cls.mailbox = mailbox
    with email_settings:
        yield controller
    controller.stop()
