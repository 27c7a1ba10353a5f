"""Every digest check on one demo organisation (built once: about 15 s)."""

from __future__ import annotations

from tests.notify.base import DigestTestCase
from tests.notify.chat_checks import ChatChecks, ChatPageChecks
from tests.notify.demo_checks import DemoChecks
from tests.notify.digest_checks import ContentChecks, SendingChecks, UnsubscribeChecks
from tests.notify.schedule_checks import ScheduleChecks


class DigestTests(
    SendingChecks,
    ContentChecks,
    UnsubscribeChecks,
    ChatChecks,
    ChatPageChecks,
    DemoChecks,
    ScheduleChecks,
    DigestTestCase,
):
    pass
