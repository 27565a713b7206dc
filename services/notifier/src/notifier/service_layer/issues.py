"""Staff's newsletter issues: compose, change while editable, list, read with progress, preview, test mail,
schedule, send now, cancel. The worker's jobs (``sending``) fan out, deliver and close (``NewsletterSent``).

Any staff member may read every issue; the issue's own department's staff (or an admin) change and send it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from notifier.adapters import rendering
from notifier.config import Settings
from notifier.domain.delivery import DeliveryKind, NewDelivery
from notifier.domain.issue import Issue, IssueState
from notifier.domain.newsletter_date import sending_time
from notifier.domain.subscriber import Language, digest, normalise_address
from notifier.service_layer.mails import mail_domain, newsletter_mail
from notifier.service_layer.texts import text
from notifier.service_layer.unit_of_work import NotifierUnitOfWork
from shared.auth import Principal
from shared.contracts.notifier import NewsletterCancelled, NewsletterScheduled
from shared.errors import Forbidden, InvalidInput, NotFound
from shared.observability.logging import get_logger

log = get_logger(__name__)


@dataclass(frozen=True)
class Progress:
    pending: int
    sent: int
    failed: int


@dataclass(frozen=True)
class IssueWithProgress:
    issue: Issue
    progress: Progress


def _ensure_staff(actor: Principal) -> None:
    if not actor.is_staff_or_admin:
        raise Forbidden("Only city staff handle the newsletter.")


def _ensure_department(actor: Principal, issue: Issue) -> None:
    if not actor.acts_for_department(issue.department_code):
        raise Forbidden("Only the issue's department's staff (or an admin) may do this.")


async def load_issue(uow: NotifierUnitOfWork, actor: Principal, issue_id: uuid.UUID, *, lock: bool = False) -> Issue:
    _ensure_staff(actor)
    issue = await uow.issues.get(issue_id, for_update=lock)
    if issue is None:
        raise NotFound("No such issue.", field="issue_id")
    return issue


async def compose(uow: NotifierUnitOfWork, *, actor: Principal, fields: dict[str, Any]) -> Issue:
    _ensure_staff(actor)
    department = fields.pop("department_code", None) or actor.department
    if not department:
        raise InvalidInput("Name the department the issue is from.", field="department_code")
    issue = Issue(id=uuid.uuid4(), department_code=department, created_by=actor.subject, **fields)
    issue.validate()
    _ensure_department(actor, issue)
    async with uow:
        await uow.issues.add(issue)
        await uow.commit()
    log.info("newsletter_composed", issue_id=str(issue.id), by=actor.subject)
    return issue


def _scheduled(issue: Issue) -> NewsletterScheduled:
    assert issue.send_at is not None
    return NewsletterScheduled(
        issue_id=issue.id,
        subject=issue.subject_fi,
        send_at=issue.send_at,
        department_code=issue.department_code,
        clock_entry_id=issue.clock_entry_id,
    )


async def update(uow: NotifierUnitOfWork, *, actor: Principal, issue_id: uuid.UUID, changes: dict[str, Any]) -> Issue:
    async with uow:
        issue = await load_issue(uow, actor, issue_id, lock=True)
        _ensure_department(actor, issue)
        issue.ensure_editable()
        subject = issue.subject_fi
        for name, value in changes.items():
            setattr(issue, name, value)
        issue.validate()
        await uow.issues.save(issue)
        if issue.state is IssueState.SCHEDULED and issue.subject_fi != subject:
            uow.emit(_scheduled(issue))  # the calendar shows the new subject
        await uow.commit()
    return issue


async def search(
    uow: NotifierUnitOfWork, *, actor: Principal, states: list[IssueState] | None, limit: int, offset: int
) -> tuple[list[Issue], int]:
    _ensure_staff(actor)
    async with uow:
        return await uow.issues.search(states=states, limit=limit, offset=offset)


async def get(uow: NotifierUnitOfWork, *, actor: Principal, issue_id: uuid.UUID) -> IssueWithProgress:
    async with uow:
        issue = await load_issue(uow, actor, issue_id)
        counts = await uow.deliveries.counts(issue.id)
    pending = counts.get("pending", 0) + counts.get("sending", 0)
    return IssueWithProgress(issue, Progress(pending, counts.get("sent", 0), counts.get("failed", 0)))


async def preview(
    uow: NotifierUnitOfWork, *, actor: Principal, settings: Settings, issue_id: uuid.UUID, language: Language
) -> tuple[Language, rendering.Rendered]:
    """The mail as a subscriber in ``language`` gets it (Finnish where the issue has no such version)."""
    async with uow:
        issue = await load_issue(uow, actor, issue_id)
    return issue.content(language)[0], newsletter_mail(settings, issue, language.value, "preview")


async def send_test(
    uow: NotifierUnitOfWork, *, actor: Principal, settings: Settings, issue_id: uuid.UUID, email: str,
    language: Language, now: datetime,
) -> Issue:  # fmt: skip
    """A test mail to the staff member's own address, through the deliver job like any mail: a delivery of kind
    ``test`` that belongs to no issue's sending (not in its progress, not in its recipients)."""
    address = normalise_address(email)
    async with uow:
        issue = await load_issue(uow, actor, issue_id)
        ref = f"staff:{actor.subject}"
        lang, _, _ = issue.content(language)
        mail = newsletter_mail(settings, issue, language.value, ref)
        await uow.deliveries.add(
            NewDelivery(
                source=f"test:{issue.id}:{uuid.uuid4()}", kind=DeliveryKind.TEST, recipient_ref=ref,
                recipient_digest=digest(address), language=lang.value,
                subject=text(lang.value, "test_prefix") + mail.subject, text_body=mail.text, html_body=mail.html,
                address=address,
            ),
            domain=mail_domain(settings), now=now,
        )  # fmt: skip
        await uow.commit()
    log.info("newsletter_test_requested", issue_id=str(issue.id), by=actor.subject)
    return issue


async def schedule(
    uow: NotifierUnitOfWork, *, actor: Principal, issue_id: uuid.UUID, now: datetime, send_at: datetime | None = None,
    newsletter_date_id: uuid.UUID | None = None, send_hour: int = 9,
) -> Issue:  # fmt: skip
    """At ``send_at``, or on one of the annual clock's planned dates (``newsletter_date_id``, from
    ``/newsletter-dates``) at ``send_hour`` Helsinki time (ADR 0014); exactly one of them."""
    if (send_at is None) == (newsletter_date_id is None):
        raise InvalidInput("Give either send_at or newsletter_date_id (one of them).", field="send_at")
    async with uow:
        issue = await load_issue(uow, actor, issue_id, lock=True)
        _ensure_department(actor, issue)
        clock_entry_id = None
        if newsletter_date_id is not None:
            planned = await uow.newsletter_dates.get(newsletter_date_id)
            send_at = sending_time(planned, send_hour, now)
            clock_entry_id = planned.clock_entry_id if planned else None
        assert send_at is not None
        issue.schedule(send_at, now, clock_entry_id)
        await uow.issues.save(issue)
        uow.emit(_scheduled(issue))
        await uow.commit()
    log.info("newsletter_scheduled", issue_id=str(issue.id), send_at=send_at.isoformat(), on_clock=bool(clock_entry_id))
    return issue


async def send_now(uow: NotifierUnitOfWork, *, actor: Principal, issue_id: uuid.UUID, now: datetime) -> Issue:
    """Due at once: the worker's next fan-out takes it (``NewsletterScheduled`` at ``now`` for the calendar)."""
    async with uow:
        issue = await load_issue(uow, actor, issue_id, lock=True)
        _ensure_department(actor, issue)
        issue.send_now(now)
        await uow.issues.save(issue)
        uow.emit(_scheduled(issue))
        await uow.commit()
    log.info("newsletter_sent_now", issue_id=str(issue.id))
    return issue


async def cancel(uow: NotifierUnitOfWork, *, actor: Principal, issue_id: uuid.UUID) -> Issue:
    """``NewsletterCancelled``: the calendar takes the issue's date off the year's schedule."""
    async with uow:
        issue = await load_issue(uow, actor, issue_id, lock=True)
        _ensure_department(actor, issue)
        issue.cancel()
        await uow.issues.save(issue)
        uow.emit(
            NewsletterCancelled(issue_id=issue.id, cancelled_at=uow.clock(), department_code=issue.department_code)
        )
        await uow.commit()
    log.info("newsletter_cancelled", issue_id=str(issue.id))
    return issue
