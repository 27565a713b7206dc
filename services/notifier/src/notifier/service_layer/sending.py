"""Sending what is due: fan out the issues whose time came, deliver (``delivering``), and close the issues whose
deliveries are done.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from notifier.adapters.smtp import SmtpMailer
from notifier.config import Settings
from notifier.domain.issue import IssueState
from notifier.service_layer.delivering import UowFactory, deliver_due
from notifier.service_layer.mails import mail_domain, newsletter_mail
from notifier.service_layer.unit_of_work import NotifierUnitOfWork
from shared.contracts.notifier import NewsletterSent
from shared.observability.logging import get_logger
from shared.scheduling import PeriodicJob

__all__ = ["close_sent_issues", "deliver_due", "fan_out_due_issues", "mail_domain", "newsletter_mail", "sending_jobs"]
log = get_logger(__name__)


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
