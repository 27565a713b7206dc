"""Sending what is due: fan out the issues whose time came, deliver, and close the issues whose deliveries are done.

Each delivery is claimed (``sending``, with a lease) in a committed transaction before its mail goes out, and
recorded ``sent`` in its own transaction the moment the SMTP server accepts it. A sender that dies leaves its
claims to run out; they are taken up again with the same Message-ID (ADR 0010). Each mail is marked *handed
over* (committed) just before it goes to the server: a claim taken up with that mark is in doubt, and is
checked by its Message-ID in the mailer's sent log before it is resent (never two copies). Throttled to
``send_rate_per_second`` over ``smtp_connections`` connections.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from email.message import EmailMessage

from notifier.adapters import rendering
from notifier.adapters.smtp import PermanentFailure, SmtpMailer, TemporaryFailure
from notifier.config import Settings
from notifier.domain.delivery import Delivery, DeliveryKind, next_attempt
from notifier.domain.issue import Issue, IssueState
from notifier.domain.subscriber import Language
from notifier.service_layer.links import preferences_url, unsubscribe_url
from notifier.service_layer.texts import text
from notifier.service_layer.unit_of_work import NotifierUnitOfWork
from shared.contracts.notifier import NewsletterSent
from shared.observability.logging import get_logger
from shared.scheduling import PeriodicJob

log = get_logger(__name__)
UowFactory = Callable[[], NotifierUnitOfWork]


def mail_domain(settings: Settings) -> str:
    return settings.mail_from.rsplit("@", 1)[-1].strip(" >") or "notifier.local"


def newsletter_mail(settings: Settings, issue: Issue, language: str, recipient_ref: str) -> rendering.Rendered:
    lang, subject, body = issue.content(Language(language))
    return rendering.mail(
        subject=subject, heading=subject, body_markdown=body, language=lang.value,
        footer=text(lang.value, "footer"),
        unsubscribe_url=unsubscribe_url(settings, recipient_ref), unsubscribe_label=text(lang.value, "unsubscribe"),
        preferences_url=preferences_url(settings, recipient_ref), preferences_label=text(lang.value, "preferences"),
    )  # fmt: skip


def message(settings: Settings, d: Delivery, rendered: rendering.Rendered) -> EmailMessage:
    """The mail, with its stable Message-ID and the RFC 8058 one-click unsubscribe headers."""
    m = EmailMessage()
    m["From"] = settings.mail_from
    m["To"] = d.address or ""
    m["Subject"] = rendered.subject
    m["Message-ID"] = d.message_id
    if d.kind is not DeliveryKind.CONFIRMATION:
        m["List-Unsubscribe"] = f"<{unsubscribe_url(settings, d.recipient_ref)}>"
        m["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    if d.kind is DeliveryKind.NEWSLETTER:
        m["List-Id"] = f"Yhdistysuutiset <yhdistysuutiset.{mail_domain(settings)}>"
    m.set_content(rendered.text)
    m.add_alternative(rendered.html, subtype="html")
    # After the parts: making the message multipart moves every Content-* header into its first part.
    m["Content-Language"] = d.language
    return m


class Pacer:
    """At most ``rate`` sends a second: each send waits for its slot."""

    def __init__(self, rate: float) -> None:
        self.interval, self.next = 1.0 / rate, time.monotonic()

    async def wait(self) -> None:
        now = time.monotonic()
        slot, self.next = max(now, self.next), max(now, self.next) + self.interval
        if slot > now:
            await asyncio.sleep(slot - now)


async def _send_one(
    settings: Settings, mailer: SmtpMailer, uows: UowFactory, d: Delivery, issues: dict[uuid.UUID, Issue],
    pacer: Pacer, now: Callable[[], datetime],
) -> bool:  # fmt: skip
    if not d.address:
        async with uows() as uow:
            await uow.deliveries.mark_failed(d.id, "no address (erased or unknown)")
            await uow.commit()
        return False
    if d.kind is DeliveryKind.NEWSLETTER and d.issue_id is not None:
        rendered = newsletter_mail(settings, issues[d.issue_id], d.language, d.recipient_ref)
    else:
        rendered = rendering.Rendered(d.subject or "", d.text_body or "", d.html_body or "")
    if d.in_doubt and not await _resend_in_doubt(settings, mailer, uows, d, now):
        return False

    async def handing_over() -> None:  # committed first: a sender that dies from here on leaves the claim in doubt
        async with uows() as uow:
            await uow.deliveries.mark_handed_over(d.id, now())
            await uow.commit()

    try:
        mail = message(settings, d, rendered)
    except ValueError as exc:  # a header the mail cannot carry: this mail fails, the others go on
        async with uows() as uow:
            await uow.deliveries.mark_failed(d.id, f"cannot build the mail: {exc}")
            await uow.commit()
        log.warning("delivery_failed", delivery_id=str(d.id), error=str(exc), permanent=True)
        return False
    await pacer.wait()
    try:
        await mailer.send(mail, handing_over=handing_over)
    except TemporaryFailure as exc:
        at = next_attempt(d.attempts, settings.retry_delays_seconds, now())
        async with uows() as uow:
            if at is None:
                await uow.deliveries.mark_failed(d.id, str(exc))
            else:
                await uow.deliveries.mark_retry(d.id, at, str(exc))
            await uow.commit()
        log.warning("delivery_deferred" if at else "delivery_failed", delivery_id=str(d.id), error=str(exc))
        return False
    except PermanentFailure as exc:
        async with uows() as uow:
            await uow.deliveries.mark_failed(d.id, str(exc))
            await uow.commit()
        log.warning("delivery_failed", delivery_id=str(d.id), error=str(exc), permanent=True)
        return False
    async with uows() as uow:
        await uow.deliveries.mark_sent([d.id], now())
        await uow.commit()
    return True


async def _resend_in_doubt(
    settings: Settings, mailer: SmtpMailer, uows: UowFactory, d: Delivery, now: Callable[[], datetime]
) -> bool:
    """A claim in doubt is sent again only when the sent log says the server never got it (or, with no log to
    ask, when ``resend_in_doubt`` says so); otherwise it is recorded as sent or failed, and not sent again."""
    accepted = await mailer.accepted(d.message_id)
    if accepted is False or (accepted is None and settings.resend_in_doubt):
        return True
    async with uows() as uow:
        if accepted:
            await uow.deliveries.mark_sent([d.id], now())
        else:
            await uow.deliveries.mark_failed(d.id, "in doubt: handed to SMTP by a sender that stopped; not resent")
        await uow.commit()
    log.warning("delivery_in_doubt", delivery_id=str(d.id), found_sent=bool(accepted))
    return False


async def deliver_due(
    uow: NotifierUnitOfWork, now: datetime, *, settings: Settings, mailer: SmtpMailer, uows: UowFactory,
    budget_seconds: float = 10.0, clock: Callable[[], datetime] | None = None,
) -> int:  # fmt: skip
    """Send what is due, batch by batch, for at most about ``budget_seconds``; returns how many were sent."""
    started, sent = time.monotonic(), 0
    pacer = Pacer(settings.send_rate_per_second)
    issues: dict[uuid.UUID, Issue] = {}
    lease = timedelta(seconds=settings.delivery_lease_seconds)
    while time.monotonic() - started < budget_seconds:
        moment = clock() if clock else now
        async with uow:
            batch = await uow.deliveries.claim(moment, limit=settings.delivery_batch_size, lease=lease)
            for issue_id in {d.issue_id for d in batch if d.issue_id is not None} - issues.keys():
                if (issue := await uow.issues.get(issue_id)) is not None:
                    issues[issue_id] = issue
            await uow.commit()
        if not batch:
            break
        results = await asyncio.gather(
            *(_send_one(settings, mailer, uows, d, issues, pacer, clock or (lambda: now)) for d in batch)
        )
        sent += sum(results)
    return sent


async def fan_out_due_issues(uow: NotifierUnitOfWork, now: datetime, *, domain: str) -> int:
    """Scheduled issues whose time came: one delivery per recipient in the segment, the issue now ``sending``."""
    async with uow:
        issues = await uow.issues.claim_due(now)
        for issue in issues:
            issue.recipients = await uow.issues.fan_out(issue, domain, now)
            issue.state, issue.fan_out_at = IssueState.SENDING, now
            await uow.issues.save(issue)
            log.info("newsletter_fanned_out", issue_id=str(issue.id), recipients=issue.recipients)
        await uow.commit()
    return len(issues)


async def close_sent_issues(uow: NotifierUnitOfWork, now: datetime) -> int:
    """An issue whose every delivery is sent or failed for good is sent: it enters the archive."""
    closed = 0
    async with uow:
        for issue in await uow.issues.sending():
            counts = await uow.deliveries.counts(issue.id)
            if counts.get("pending", 0) or counts.get("sending", 0):
                continue
            issue.state, issue.sent_at = IssueState.SENT, now
            await uow.issues.save(issue)
            uow.emit(
                NewsletterSent(
                    issue_id=issue.id, subject=issue.subject_fi, sent_at=now, recipients=sum(counts.values()),
                    failed=counts.get("failed", 0), department_code=issue.department_code,
                    clock_entry_id=issue.clock_entry_id,
                )
            )  # fmt: skip
            closed += 1
        await uow.commit()
    return closed


def sending_jobs(
    settings: Settings, mailer: SmtpMailer, uows: UowFactory, clock: Callable[[], datetime]
) -> list[PeriodicJob]:
    domain = mail_domain(settings)

    async def fan_out(uow: NotifierUnitOfWork, now: datetime) -> int:
        return await fan_out_due_issues(uow, now, domain=domain)

    async def deliver(uow: NotifierUnitOfWork, now: datetime) -> int:
        return await deliver_due(uow, now, settings=settings, mailer=mailer, uows=uows, clock=clock)

    return [
        PeriodicJob("fan_out_due_issues", fan_out),
        PeriodicJob("deliver_due", deliver),
        PeriodicJob("close_sent_issues", close_sent_issues),
    ]
