"""Delivery over real SMTP (aiosmtplib): host, port, STARTTLS or TLS and credentials from the settings.

A small pool of connections is kept open for a fan-out, each sending mails already encoded (``mime.Outgoing``)
with ``sendmail``; a temporary failure (4xx, a lost or refused
connection) is :class:`TemporaryFailure`, a permanent one (5xx) :class:`PermanentFailure`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import aiosmtplib

from notifier.adapters.mime import Outgoing
from notifier.config import Settings
from shared.observability.logging import get_logger

log = get_logger(__name__)


SentLog = Callable[[str], Awaitable[bool]]
"""Whether the mail side already holds a message with this Message-ID (a relay's log, an archive mailbox, the
development catcher): how a delivery in doubt is checked before it is resent."""


class SmtpFailure(Exception):
    """Why a mail did not go; ``code`` is the SMTP server's reply code when it gave one."""

    def __init__(self, reason: str, code: int | None = None) -> None:
        super().__init__(reason)
        self.code = code


class TemporaryFailure(SmtpFailure):
    pass


class PermanentFailure(SmtpFailure):
    pass


class SmtpMailer:
    def __init__(self, settings: Settings, sent_log: SentLog | None = None) -> None:
        self.settings, self.sent_log = settings, sent_log
        self._idle: asyncio.Queue[aiosmtplib.SMTP] = asyncio.Queue()
        self._open = 0
        self._slots = asyncio.Semaphore(settings.smtp_connections)

    def _client(self) -> aiosmtplib.SMTP:
        s = self.settings
        return aiosmtplib.SMTP(
            hostname=s.smtp_host,
            port=s.smtp_port,
            use_tls=s.smtp_tls,
            start_tls=s.smtp_starttls,
            username=s.smtp_username,
            password=s.smtp_password,
            timeout=s.smtp_timeout_seconds,
        )

    async def _connection(self) -> aiosmtplib.SMTP:
        while not self._idle.empty():
            client = self._idle.get_nowait()
            if client.is_connected:
                return client
        client = self._client()
        await client.connect()
        return client

    async def send(self, mail: Outgoing, *, handing_over: Callable[[], Awaitable[None]] | None = None) -> None:
        """Send over a pooled connection; ``handing_over`` runs once a connection is ours, just before the mail
        goes (so that only the mails really in flight, one a connection, are ever marked handed over)."""
        async with self._slots:
            try:
                client = await self._connection()
            except (aiosmtplib.SMTPException, OSError) as exc:
                raise TemporaryFailure(f"cannot connect: {type(exc).__name__}") from exc
            if handing_over is not None:
                try:
                    await handing_over()
                except BaseException:
                    self._idle.put_nowait(client)
                    raise
            try:
                await client.sendmail(
                    mail.sender, [mail.recipient], mail.data, mail_options=["SMTPUTF8"] if mail.smtputf8 else None
                )
            except aiosmtplib.SMTPResponseException as exc:
                await self._discard(client)
                if 400 <= exc.code < 500:
                    raise TemporaryFailure(f"{exc.code} {exc.message}", exc.code) from exc
                raise PermanentFailure(f"{exc.code} {exc.message}", exc.code) from exc
            except aiosmtplib.SMTPRecipientsRefused as exc:
                codes = [e.code for e in exc.recipients]
                self._idle.put_nowait(client)  # the envelope was reset (RSET): the connection goes on
                if all(400 <= c < 500 for c in codes):
                    raise TemporaryFailure(f"recipient refused {codes}", codes[0]) from exc
                raise PermanentFailure(f"recipient refused {codes}", max(codes)) from exc
            except ValueError as exc:  # an address aiosmtplib will not put in the envelope
                self._idle.put_nowait(client)
                raise PermanentFailure(f"cannot send to this address: {exc}") from exc
            except (aiosmtplib.SMTPException, OSError) as exc:
                await self._discard(client)
                raise TemporaryFailure(f"connection lost: {type(exc).__name__}") from exc
            self._idle.put_nowait(client)

    async def accepted(self, message_id: str) -> bool | None:
        """Whether the SMTP side has accepted ``message_id`` already; None when nothing can tell."""
        return None if self.sent_log is None else await self.sent_log(message_id)

    async def _discard(self, client: aiosmtplib.SMTP) -> None:
        try:
            client.close()
        except Exception:  # already gone
            log.debug("smtp_close_failed")

    async def close(self) -> None:
        while not self._idle.empty():
            client = self._idle.get_nowait()
            try:
                await client.quit()
            except (aiosmtplib.SMTPException, OSError):
                client.close()
