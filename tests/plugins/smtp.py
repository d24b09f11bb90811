"""The real SMTP server of the tests: aiosmtpd on 127.0.0.1, the same one `newswatch selftest`
delivers to (pipeline/selftest/mail.py). It keeps what it receives and can be switched off
(connection refused) or made to answer 4xx/5xx, the ways a real mail server fails."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pipeline.selftest.mail import Mailbox, free_port
from pipeline.selftest.mail import MailServer as SmtpServer

__all__ = ["Mailbox", "SmtpServer", "free_port", "smtp_server"]


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    try:
        yield server
    finally:
        server.stop()
