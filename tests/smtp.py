"""A real SMTP server on a free local port, for the tests of e-mails that must cross the wire.

    def test_something(smtp_server):
        ...                       # Django's SMTP backend now talks to it
        (message,) = smtp_server.messages
        smtp_server.refuse("550 5.1.1 Boîte inconnue")   # the next recipients are refused

Each received message is an `email.message.EmailMessage` (decoded headers, parts), with its envelope
in `smtp_server.envelopes`.
"""

import email
import email.policy
import socket
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller

HOST = "127.0.0.1"


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@dataclass
class SmtpServer:
    host: str
    port: int
    messages: list = field(default_factory=list)
    envelopes: list = field(default_factory=list)
    refusal: str | None = None

    def refuse(self, reply="550 5.7.1 Message refusé par le serveur de test"):
        """Refuse every recipient from now on with `reply` (an SMTP code and text)."""
        self.refusal = reply

    def accept(self):
        self.refusal = None

    # aiosmtpd handler hooks, called in the server's own thread.

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refusal:
            return self.refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings):
    """Start an SMTP server in a thread and point Django's e-mail backend at it."""
    server = SmtpServer(host=HOST, port=_free_port())
    controller = Controller(server, hostname=server.host, port=server.port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = server.host
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    try:
        yield server
    finally:
        controller.stop()
