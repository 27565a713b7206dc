"""A real SMTP server that catches mail (aiosmtpd), for tests and for ``make up``'s development catcher.

Tests run it in process (:class:`MailCatcher` as a context manager, its own thread and port) and read the
delivered messages; ``scripts/mail-catcher.py`` runs the same server and keeps each mail as a file too.
It can refuse for a while (``refuse_with = 451``) to test temporary failures, and refuse some recipients for
good (``refuse_recipients["nobody@example.org"] = 550``) to test permanent ones.
"""

from __future__ import annotations

import email
import email.policy
import threading
import time
from email.message import EmailMessage
from pathlib import Path
from types import TracebackType
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


class CatchingHandler:
    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self.messages: list[EmailMessage] = []
        self.refuse_with: int | None = None
        self.refuse_recipients: dict[str, int] = {}
        self._lock = threading.Lock()

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        if (code := self.refuse_recipients.get(address)) is not None:
            return f"{code} No such mailbox here (refused for the test)"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.refuse_with is not None:
            return f"{self.refuse_with} Refused for the test"
        raw = envelope.original_content or envelope.content or b""
        assert isinstance(raw, bytes)
        message = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        with self._lock:
            self.messages.append(message)
            count = len(self.messages)
        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder / f"{time.strftime('%Y%m%dT%H%M%S')}-{count:06d}.eml").write_bytes(raw)
        return "250 Message accepted for delivery"


class MailCatcher:
    """``with MailCatcher() as catcher: ... catcher.messages``; ``catcher.port`` is where it listens."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, folder: Path | None = None) -> None:
        self.handler = CatchingHandler(folder)
        self.controller = Controller(self.handler, hostname=host, port=port or _free_port(host))
        self.host = host

    @property
    def port(self) -> int:
        return int(self.controller.port)

    @property
    def messages(self) -> list[EmailMessage]:
        return list(self.handler.messages)

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m.get("To", ""))]

    def start(self) -> MailCatcher:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def __enter__(self) -> MailCatcher:
        return self.start()

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.stop()

    def wait_for(self, count: int, timeout: float = 20.0, **match: Any) -> list[EmailMessage]:
        """At least ``count`` messages (to ``to=`` when given), waiting up to ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.to(match["to"]) if "to" in match else self.messages
            if len(found) >= count or time.monotonic() > deadline:
                return found
            time.sleep(0.05)


def _free_port(host: str) -> int:
    import socket

    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])
