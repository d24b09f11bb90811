"""Delivery channels behind one interface: SMTP, or an outbox folder of .eml files when no SMTP
server is configured (the embedded default). A registry, so a new channel is one entry.

Failures are classified for the ledger: :class:`TransientSendError` (server down, refused
credentials or TLS, 4xx) leaves the alert pending for the next run; :class:`PermanentSendError`
(5xx for a message or all its recipients: refused for good) marks it failed, recorded with the
reason. A message that some recipients got and others not is sent: sending returns the refused
ones with the server's reply, for the caller to owe them the message or record them.
"""

from __future__ import annotations

import contextlib
import os
import smtplib
import socket
import ssl
import tempfile
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path
from typing import Protocol

from tenacity import retry, retry_if_exception_type, stop_after_attempt, wait_exponential

from pipeline.config import SmtpSettings
from pipeline.models import Email


class SendError(Exception):
    pass


class TransientSendError(SendError):
    pass


class PermanentSendError(SendError):
    pass


def to_mime(email: Email) -> EmailMessage:
    message = EmailMessage()
    message["From"] = email.sender
    message["To"] = ", ".join(email.recipients)
    message["Subject"] = email.subject
    message["Message-ID"] = email.message_id
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["X-Newswatch"] = "alert"
    message.set_content(email.text)
    message.add_alternative(email.html, subtype="html")
    return message


Refused = dict[str, str]
"""Recipients a server refused while it accepted others: address -> its reply ("550 5.1.1 ...")."""

Send = Callable[[Email], Refused]


class Channel(Protocol):
    name: str

    def session(self) -> contextlib.AbstractContextManager[Send]:
        """One connection for a batch of messages."""


class OutboxChannel:
    """Writes ``<message-id>.eml`` files; an existing file means already delivered."""

    name = "outbox"

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @contextlib.contextmanager
    def session(self) -> Iterator[Send]:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise TransientSendError(f"cannot create outbox {self.folder}: {exc}") from exc
        yield self._write

    def _write(self, email: Email) -> Refused:
        name = email.message_id.strip("<>").split("@", 1)[0] + ".eml"
        target = self.folder / name
        if target.exists():
            return {}
        try:
            with tempfile.NamedTemporaryFile("wb", dir=self.folder, delete=False, suffix=".tmp") as handle:
                handle.write(bytes(to_mime(email)))
            os.replace(handle.name, target)
        except OSError as exc:
            raise TransientSendError(f"cannot write {target}: {exc}") from exc
        return {}


def _classify(exc: Exception) -> SendError:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        if codes and all(400 <= code < 500 for code in codes):
            return TransientSendError(f"recipients refused temporarily: {exc.recipients}")
        return PermanentSendError(f"recipients refused: {exc.recipients}")
    if isinstance(exc, smtplib.SMTPResponseException):
        kind = TransientSendError if 400 <= exc.smtp_code < 500 else PermanentSendError
        return kind(f"SMTP {exc.smtp_code}: {exc.smtp_error!r}")
    return TransientSendError(f"{type(exc).__name__}: {exc}")


class SmtpChannel:
    name = "smtp"

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings

    def _tls(self) -> ssl.SSLContext:
        cafile = str(self.settings.ca_certs) if self.settings.ca_certs else None
        return ssl.create_default_context(cafile=cafile)

    @retry(
        retry=retry_if_exception_type((OSError, smtplib.SMTPConnectError, smtplib.SMTPServerDisconnected)),
        stop=stop_after_attempt(3), wait=wait_exponential(multiplier=0.5, max=4), reraise=True,
    )
    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        assert s.host is not None
        client: smtplib.SMTP
        if s.ssl:
            client = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=self._tls())
        else:
            client = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        try:
            client.ehlo_or_helo_if_needed()
            if s.starttls:
                client.starttls(context=self._tls())
                client.ehlo()
            if s.username:
                client.login(s.username, s.password.get_secret_value() if s.password else "")
        except Exception:
            with contextlib.suppress(Exception):
                client.close()
            raise
        return client

    @contextlib.contextmanager
    def session(self) -> Iterator[Send]:
        try:
            client = self._connect()
        except (OSError, smtplib.SMTPException) as exc:
            # Whatever stops the session (server down, TLS, refused credentials) is a problem of the
            # channel, not of any message: the alerts stay pending until it is fixed.
            raise TransientSendError(f"cannot open an SMTP session: {type(exc).__name__}: {exc}") from exc

        def send(email: Email) -> Refused:
            try:
                refused = client.send_message(to_mime(email), from_addr=email.sender, to_addrs=email.recipients)
            except (OSError, smtplib.SMTPException) as exc:
                raise _classify(exc) from exc
            return {address: f"{code} {reply.decode('utf-8', 'replace')}" for address, (code, reply) in refused.items()}

        try:
            yield send
        finally:
            with contextlib.suppress(OSError, smtplib.SMTPException, socket.error):
                client.quit()


CHANNELS: dict[str, Callable[[SmtpSettings, Path], Channel]] = {
    "smtp": lambda smtp, outbox: SmtpChannel(smtp),
    "outbox": lambda smtp, outbox: OutboxChannel(outbox),
}


def channel_for(smtp: SmtpSettings, outbox: Path) -> Channel:
    return CHANNELS["smtp" if smtp.host else "outbox"](smtp, outbox)
