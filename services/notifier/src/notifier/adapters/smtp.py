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
        """Send over a pooled connection. ``handing_over`` starts once a connection is ours, beside the envelope
        (MAIL FROM, RCPT TO), and the mail's data goes only after it returned: the server cannot hold a mail
        before its data, so the mark is committed first, and only the mails really in flight (one a
        connection) are ever marked handed over. No outcome is raised before the mark is done either."""
        async with self._slots:
            try:
                client = await self._connection()
            except (aiosmtplib.SMTPException, OSError) as exc:
                raise TemporaryFailure(f"cannot connect: {type(exc).__name__}") from exc
            marking = asyncio.ensure_future(handing_over()) if handing_over is not None else None
            try:
                await self._transaction(client, mail, marking)
            except BaseException:
                if marking is not None and not marking.done():
                    marking.cancel()
                raise

    async def _transaction(self, client: aiosmtplib.SMTP, mail: Outgoing, marking: asyncio.Future[None] | None) -> None:
        encoding = "utf-8" if mail.smtputf8 else "ascii"
        try:
            try:
                await client.mail(mail.sender, options=["SMTPUTF8"] if mail.smtputf8 else None, encoding=encoding)
                await client.rcpt(mail.recipient, encoding=encoding)
            finally:
                if marking is not None:
                    await asyncio.wait([marking])  # whatever the envelope's fate, the mark lands first
        except (aiosmtplib.SMTPException, OSError, ValueError) as exc:
            raise await self._failure(client, exc) from exc
        if marking is not None and not marking.cancelled() and (error := marking.exception()) is not None:
            await self._reset(client)  # the mark failed: the data never goes
            raise error
        try:
            await client.data(mail.data)
        except (aiosmtplib.SMTPException, OSError, ValueError) as exc:
            raise await self._failure(client, exc) from exc
        self._idle.put_nowait(client)

    async def _failure(self, client: aiosmtplib.SMTP, exc: BaseException) -> SmtpFailure:
        """What a failed exchange means, the connection kept (its envelope reset) or dropped."""
        if isinstance(exc, aiosmtplib.SMTPRecipientRefused):
            await self._reset(client)
            kind = TemporaryFailure if 400 <= exc.code < 500 else PermanentFailure
            return kind(f"recipient refused {exc.code}", exc.code)
        if isinstance(exc, aiosmtplib.SMTPResponseException):
            await self._discard(client)
            kind = TemporaryFailure if 400 <= exc.code < 500 else PermanentFailure
            return kind(f"{exc.code} {exc.message}", exc.code)
        if isinstance(exc, ValueError):  # an address aiosmtplib will not put in the envelope
            await self._reset(client)
            return PermanentFailure(f"cannot send to this address: {exc}")
        await self._discard(client)
        return TemporaryFailure(f"connection lost: {type(exc).__name__}")

    async def _reset(self, client: aiosmtplib.SMTP) -> None:
        try:
            await client.rset()
            self._idle.put_nowait(client)
        except (aiosmtplib.SMTPException, OSError):
            await self._discard(client)

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
