"""Delivering what is due: claim deliveries batch by batch, send them over the pooled SMTP connections, record
each outcome — without ever sending anyone a second copy.

- A batch is claimed (``sending``, with a lease) in one committed transaction; the next batch is claimed while
  this one is being sent. A sender that dies leaves its claims to run out; they are taken up again with the
  same Message-ID (the delivery's, chosen once when it was made).
- Each mail is marked *handed over*, and that mark committed, before its data goes to the server (the mark
  is written beside MAIL FROM / RCPT TO; the data waits for it). The marks that senders wait for at the same
  moment are written in one statement (a group commit, :class:`Marks`), and the *sent* marks of the mails
  accepted since ride along with them. A
  mail accepted and not yet marked sent is still handed over, so a claim taken up after a crash with that
  mark is in doubt and checked by its Message-ID in the mailer's sent log before anything is resent.
- Failures are rare and recorded one by one: a temporary one (4xx, a lost connection) is retried with
  back-off; a permanent one (5xx, retries exhausted, no address, a mail that cannot be built, a claim in doubt
  not resent) is recorded ``failed`` with ``NotificationFailed`` in the same transaction (the outbox).
- Throttled to ``send_rate_per_second`` over ``smtp_connections`` senders, one connection each.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from notifier.adapters.mime import MailTemplate
from notifier.adapters.smtp import PermanentFailure, SmtpMailer, TemporaryFailure
from notifier.config import Settings
from notifier.domain.delivery import Delivery, DeliveryKind, next_attempt
from notifier.domain.issue import Issue
from notifier.service_layer.failures import Reason, notification_failed
from notifier.service_layer.mails import message, newsletter_template, stored_template
from notifier.service_layer.unit_of_work import NotifierUnitOfWork
from shared.observability.logging import get_logger

log = get_logger(__name__)
UowFactory = Callable[[], NotifierUnitOfWork]


class Pacer:
    """At most ``rate`` sends a second: each send waits for its slot."""

    def __init__(self, rate: float) -> None:
        self.interval, self.next = 1.0 / rate, time.monotonic()

    async def wait(self) -> None:
        now = time.monotonic()
        slot, self.next = max(now, self.next), max(now, self.next) + self.interval
        if slot > now:
            await asyncio.sleep(slot - now)


class Marks:
    """The hand-over and sent marks of all senders, committed together: a sender's ``hand_over`` returns once
    its mark is committed; ``sent`` marks wait for the next commit (or ``flush``). Each write is one statement
    on a session of its own, held for the run (``async with marks:``)."""

    def __init__(self, uows: UowFactory, clock: Callable[[], datetime]) -> None:
        self.uow, self.clock = uows().one_statement(), clock
        self._handing: list[tuple[uuid.UUID, asyncio.Future[None]]] = []
        self._sent: list[uuid.UUID] = []
        self._writer: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Marks:
        await self.uow.__aenter__()
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._writer is not None:  # a run that failed: the marks being written land, or not, as they may
            await asyncio.wait([self._writer])
        await self.uow.__aexit__(None, None, None)

    async def hand_over(self, delivery_id: uuid.UUID) -> None:
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._handing.append((delivery_id, done))
        if self._writer is None:
            self._writer = asyncio.create_task(self._write_while_asked())
        await done

    def sent(self, delivery_id: uuid.UUID) -> None:
        self._sent.append(delivery_id)

    async def flush(self) -> None:
        if self._writer is not None:
            await asyncio.shield(self._writer)
        if self._sent:
            sent, self._sent = self._sent, []
            await self._write([], sent)

    async def _write_while_asked(self) -> None:
        try:
            while self._handing:
                handing, self._handing = self._handing, []
                sent, self._sent = self._sent, []
                try:
                    await self._write([d for d, _ in handing], sent)
                except BaseException as exc:  # each waiting sender gets it; the sent marks stay in doubt
                    for _, waiting in handing:
                        if waiting.done():
                            continue
                        if isinstance(exc, asyncio.CancelledError):
                            waiting.cancel()
                        else:
                            waiting.set_exception(exc)
                    if not isinstance(exc, Exception):
                        raise
                    continue
                for _, waiting in handing:
                    if not waiting.done():
                        waiting.set_result(None)
        finally:
            self._writer = None

    async def _write(self, handed_over: list[uuid.UUID], sent: list[uuid.UUID]) -> None:
        await self.uow.deliveries.record(handed_over=handed_over, sent=sent, now=self.clock())


class Run:
    """One ``deliver_due``: its settings and clients, the issues' mails rendered once per language, the marks."""

    def __init__(self, settings: Settings, mailer: SmtpMailer, uows: UowFactory, clock: Callable[[], datetime]) -> None:
        self.settings, self.mailer, self.uows, self.clock = settings, mailer, uows, clock
        self.pacer, self.marks = Pacer(settings.send_rate_per_second), Marks(uows, clock)
        self.issues: dict[uuid.UUID, Issue] = {}
        self.templates: dict[tuple[uuid.UUID, str], MailTemplate] = {}
        self.sent = 0

    def template(self, d: Delivery) -> MailTemplate:
        if d.kind is not DeliveryKind.NEWSLETTER or d.issue_id is None:
            return stored_template(self.settings, d)
        key = (d.issue_id, d.language)
        if key not in self.templates:
            if d.issue_id not in self.issues:
                raise ValueError("its issue is gone")
            self.templates[key] = newsletter_template(self.settings, self.issues[d.issue_id], d.language)
        return self.templates[key]

    async def fail(self, d: Delivery, error: str, reason: Reason, code: int | None = None) -> None:
        async with self.uows() as uow:
            await uow.deliveries.mark_failed(d.id, error)
            uow.emit(notification_failed(d, reason, code, self.clock()))
            await uow.commit()
        log.warning("delivery_failed", delivery_id=str(d.id), reason=reason, smtp_code=code)

    async def retry(self, d: Delivery, at: datetime, error: str, code: int | None) -> None:
        async with self.uows() as uow:
            await uow.deliveries.mark_retry(d.id, at, error)
            await uow.commit()
        log.warning("delivery_deferred", delivery_id=str(d.id), smtp_code=code, next_attempt_at=at.isoformat())


async def _deliver(run: Run, d: Delivery) -> bool:
    if not d.address:
        await run.fail(d, "no address (erased or unknown)", "no_address")
        return False
    if d.in_doubt and not await _resend_in_doubt(run, d):
        return False
    try:
        mail = message(run.settings, d, run.template(d))
    except ValueError as exc:  # a header the mail cannot carry: this mail fails, the others go on
        await run.fail(d, f"cannot build the mail: {exc}", "unbuildable")
        return False
    await run.pacer.wait()

    async def handing_over() -> None:  # committed first: a sender that dies from here on leaves the claim in doubt
        await run.marks.hand_over(d.id)

    try:
        await run.mailer.send(mail, handing_over=handing_over)
    except TemporaryFailure as exc:
        at = next_attempt(d.attempts, run.settings.retry_delays_seconds, run.clock())
        if at is None:
            await run.fail(d, str(exc), "retries_exhausted", exc.code)
        else:
            await run.retry(d, at, str(exc), exc.code)
        return False
    except PermanentFailure as exc:
        await run.fail(d, str(exc), "refused", exc.code)
        return False
    run.marks.sent(d.id)
    return True


async def _resend_in_doubt(run: Run, d: Delivery) -> bool:
    """A claim in doubt is sent again only when the sent log says the server never got it (or, with no log to
    ask, when ``resend_in_doubt`` says so); otherwise it is recorded as sent or failed, and not sent again."""
    accepted = await run.mailer.accepted(d.message_id)
    if accepted is False or (accepted is None and run.settings.resend_in_doubt):
        return True
    log.warning("delivery_in_doubt", delivery_id=str(d.id), found_sent=bool(accepted))
    if accepted:
        async with run.uows() as uow:
            await uow.deliveries.mark_sent([d.id], run.clock())
            await uow.commit()
    else:
        await run.fail(d, "in doubt: handed to SMTP by a sender that stopped; not resent", "in_doubt")
    return False


async def _claim(uow: NotifierUnitOfWork, run: Run, queue: asyncio.Queue[Delivery | None], budget: float) -> None:
    """Claim batch after batch into the senders' queue (one batch ahead of them) while the budget lasts."""
    started, lease = time.monotonic(), timedelta(seconds=run.settings.delivery_lease_seconds)
    while time.monotonic() - started < budget:
        async with uow:
            batch = await uow.deliveries.claim(run.clock(), limit=run.settings.delivery_batch_size, lease=lease)
            for issue_id in {d.issue_id for d in batch if d.issue_id is not None} - run.issues.keys():
                if (issue := await uow.issues.get(issue_id)) is not None:
                    run.issues[issue_id] = issue
            await uow.commit()
        if not batch:
            break
        for d in batch:
            await queue.put(d)
    for _ in range(run.settings.smtp_connections):  # each sender stops once the queue is drained
        await queue.put(None)


async def _send(run: Run, queue: asyncio.Queue[Delivery | None]) -> None:
    while (d := await queue.get()) is not None:
        sent = await _deliver(run, d)  # awaited first: ``run.sent += await ...`` would read the count before
        run.sent += sent


async def deliver_due(
    uow: NotifierUnitOfWork, now: datetime, *, settings: Settings, mailer: SmtpMailer, uows: UowFactory,
    budget_seconds: float = 10.0, clock: Callable[[], datetime] | None = None,
) -> int:  # fmt: skip
    """Send what is due, batch by batch, for at most about ``budget_seconds``; returns how many were sent."""
    run = Run(settings, mailer, uows, clock or (lambda: now))
    queue: asyncio.Queue[Delivery | None] = asyncio.Queue(maxsize=settings.delivery_batch_size)
    async with run.marks:
        tasks = [asyncio.create_task(_claim(uow, run, queue, budget_seconds))]
        tasks += [asyncio.create_task(_send(run, queue)) for _ in range(settings.smtp_connections)]
        try:
            await asyncio.gather(*tasks)  # the first failure (or a crash) leaves at once: nothing recorded after it
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        await run.marks.flush()
    return run.sent
