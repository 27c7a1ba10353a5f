"""A real local SMTP server (aiosmtpd) that keeps every message it is sent."""

from __future__ import annotations

import email
import email.policy
import socket
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from django.test import override_settings

from followthrough.lib.env import parse_email_url


class Mailbox:
    """An aiosmtpd handler that keeps every message it is sent."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for _s, rcpt, m in self.messages if address in rcpt]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serving(mailbox: Mailbox):
    """Starts the server; returns (controller, settings override) pointing EMAIL_URL at it,
    through the same parsing production uses."""
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    email_settings = parse_email_url(f"smtp://127.0.0.1:{controller.port}")
    return controller, override_settings(
        **email_settings, DEFAULT_FROM_EMAIL="Followthrough <ft@acme.test>"
    )
