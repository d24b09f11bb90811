"""STARTTLS and authentication against a real aiosmtpd server with a certificate made here."""

from __future__ import annotations

import datetime
import ipaddress
import ssl
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from pipeline.alert.channels import SmtpChannel, TransientSendError
from pipeline.config import SmtpSettings
from pipeline.models import Email
from tests.plugins.smtp import Mailbox, free_port


def self_signed(tmp_path: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == b"newswatch" and auth_data.password == b"s3cret"
    return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535 itself


@pytest.fixture
def tls_server(tmp_path: Path):
    cert, key = self_signed(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True,
                            authenticator=authenticator, auth_required=True, ready_timeout=10)
    controller.start()
    try:
        yield port, cert, mailbox
    finally:
        controller.stop()


EMAIL = Email(message_id="<x@newswatch>", sender="nw@example.org", recipients=["desk@example.org"],
              subject="[newswatch] test", text="plain", html="<p>html</p>")


def send(settings: SmtpSettings) -> None:
    with SmtpChannel(settings).session() as deliver:
        deliver(EMAIL)


def test_starttls_and_login(tls_server) -> None:
    port, cert, mailbox = tls_server
    send(SmtpSettings(host="127.0.0.1", port=port, starttls=True, username="newswatch", password="s3cret",
                      ca_certs=cert, timeout=5))
    assert [str(m["Subject"]) for m in mailbox.messages] == ["[newswatch] test"]


def test_wrong_password_keeps_alerts_pending(tls_server) -> None:
    """A configuration mistake must not turn every alert into a permanent failure."""
    port, cert, mailbox = tls_server
    with pytest.raises(TransientSendError, match="SMTPAuthenticationError"):
        send(SmtpSettings(host="127.0.0.1", port=port, starttls=True, username="newswatch", password="wrong",
                          ca_certs=cert, timeout=5))
    assert mailbox.messages == []


def test_untrusted_certificate_is_not_accepted(tls_server) -> None:
    port, _, mailbox = tls_server
    with pytest.raises(TransientSendError):
        send(SmtpSettings(host="127.0.0.1", port=port, starttls=True, username="newswatch", password="s3cret",
                          timeout=5))
    assert mailbox.messages == []
