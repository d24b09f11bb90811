"""A real SMTP server (aiosmtpd) on 127.0.0.1 for the outage scenarios: it keeps what it receives
and fails the ways real mail servers fail: switched off (connection refused), 4xx, 5xx, or
accepting a few messages and then answering 4xx in the middle of a batch, or refusing one
recipient of a message and accepting the others.

The test suite uses the same server (tests/plugins/smtp.py), so the selftest and the tests judge
delivery against one implementation.
"""

from __future__ import annotations

import socket
from collections import Counter
from email import message_from_bytes
from email.message import Message
from email.policy import default
from typing import Any, Literal

from aiosmtpd.controller import Controller

Mode = Literal["accept", "4xx", "5xx"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.mode: Mode = "accept"
        self.accept_before_failing: int | None = None
        """When set, accept that many more messages, then answer 4xx (a failure mid-batch)."""
        self.refuse: dict[str, str] = {}
        """Recipients refused whatever the mode, with the reply ("550 5.1.1 no such user")."""

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,  # noqa: N802
                          rcpt_options: list[str]) -> str:
        if address.lower() in self.refuse:
            return self.refuse[address.lower()]
        if self.accept_before_failing is not None:
            if self.accept_before_failing <= 0:
                return "451 4.3.0 try again later"
        elif self.mode == "5xx":
            return "550 5.1.1 mailbox unavailable"
        elif self.mode == "4xx":
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = message_from_bytes(envelope.content, policy=default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        if self.accept_before_failing is not None:
            self.accept_before_failing -= 1
        return "250 Message accepted"


class MailServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.mailbox = Mailbox()
        self._controller: Any = None

    @property
    def messages(self) -> list[Message]:
        return self.mailbox.messages

    @property
    def subjects(self) -> list[str]:
        return [str(message["Subject"]) for message in self.messages]

    def message_ids(self) -> list[str]:
        return [str(message["Message-ID"]) for message in self.messages]

    def duplicates(self) -> int:
        """Messages received more than once (same Message-ID): each is a duplicate email."""
        return sum(count - 1 for count in Counter(self.message_ids()).values())

    def start(self) -> MailServer:
        self._controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port, ready_timeout=10)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> MailServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def settings(self) -> dict[str, object]:
        return {"host": "127.0.0.1", "port": self.port, "timeout": 5}
