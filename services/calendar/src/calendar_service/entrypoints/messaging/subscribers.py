"""What the calendar does when another service's event arrives: ``on_<event>(uow, event, meta)`` calls a use case.

The consumer (``shared.messaging.consumer``) has entered the unit of work and recorded the event in the inbox;
the use case joins that transaction. Grants' events carry no revision, so their time orders them
(``revision_at(meta.occurred_at)``): a late or redelivered event never undoes a newer one. The notifier's
newsletter issues and bookings' facilities are ordered the same way. The directory's associations (whom the yearly
evaluation invites) are copied by the kit, guarded by their own revision (``shared.directory_copy``).
"""

from __future__ import annotations

from typing import Any

from calendar_service.bootstrap import Calendar
from calendar_service.domain.schedule import EntryState, SourceKind
from calendar_service.service_layer import schedule_sources
from calendar_service.service_layer.unit_of_work import CalendarUnitOfWork
from shared.contracts.bookings import FacilityRegistered
from shared.contracts.grants import (
    GrantProgrammeCreated,
    GrantRoundClosed,
    GrantRoundOpened,
    GrantRoundScheduled,
    PartnershipDiscussionDue,
    UsageReportAccepted,
    UsageReportDue,
    UsageReportOverdue,
    UsageReportSubmitted,
)
from shared.contracts.notifier import NewsletterCancelled, NewsletterScheduled, NewsletterSent
from shared.copies import revision_at
from shared.directory_copy import directory_subscriptions
from shared.messaging.consumer import EventMeta, Subscription


async def on_grant_programme_created(uow: CalendarUnitOfWork, event: GrantProgrammeCreated, meta: EventMeta) -> None:
    await schedule_sources.programme_named(
        uow, programme_id=event.programme_id, name=event.name, department_code=event.department_code,
        revision=revision_at(meta.occurred_at),
    )  # fmt: skip


async def on_grant_round_scheduled(uow: CalendarUnitOfWork, event: GrantRoundScheduled, meta: EventMeta) -> None:
    await schedule_sources.round_dated(
        uow, round_id=event.round_id, programme_id=event.programme_id, year=event.year, opens_at=event.opens_at,
        closes_at=event.closes_at, state=EntryState.SCHEDULED, revision=revision_at(meta.occurred_at),
        decision_deadline=event.decision_deadline, usage_report_deadline=event.usage_report_deadline,
        deadlines_known=True,
    )  # fmt: skip


async def on_grant_round_opened(uow: CalendarUnitOfWork, event: GrantRoundOpened, meta: EventMeta) -> None:
    await schedule_sources.round_dated(
        uow, round_id=event.round_id, programme_id=event.programme_id, year=event.year, opens_at=event.opens_at,
        closes_at=event.closes_at, state=EntryState.OPEN, revision=revision_at(meta.occurred_at),
    )  # fmt: skip


async def on_grant_round_closed(uow: CalendarUnitOfWork, event: GrantRoundClosed, meta: EventMeta) -> None:
    await schedule_sources.round_state(
        uow, round_id=event.round_id, state=EntryState.CLOSED, revision=revision_at(meta.occurred_at)
    )


async def on_usage_report_due(
    uow: CalendarUnitOfWork, event: UsageReportDue | UsageReportOverdue, meta: EventMeta
) -> None:
    await schedule_sources.association_deadline(
        uow, kind=SourceKind.USAGE_REPORT, source_id=event.report_id, association_id=event.applicant_id,
        due_on=event.due_date, revision=revision_at(meta.occurred_at),
    )  # fmt: skip


async def on_usage_report_done(
    uow: CalendarUnitOfWork, event: UsageReportSubmitted | UsageReportAccepted, meta: EventMeta
) -> None:
    await schedule_sources.source_state(
        uow, kind=SourceKind.USAGE_REPORT, source_id=event.report_id, state=EntryState.DONE,
        revision=revision_at(meta.occurred_at),
    )  # fmt: skip


async def on_partnership_discussion_due(
    uow: CalendarUnitOfWork, event: PartnershipDiscussionDue, meta: EventMeta
) -> None:
    await schedule_sources.association_deadline(
        uow, kind=SourceKind.PARTNERSHIP_DISCUSSION, source_id=event.discussion_id, association_id=event.applicant_id,
        due_on=event.due_on, revision=revision_at(meta.occurred_at),
    )  # fmt: skip


async def on_newsletter_scheduled(uow: CalendarUnitOfWork, event: NewsletterScheduled, meta: EventMeta) -> None:
    await schedule_sources.newsletter_dated(
        uow, issue_id=event.issue_id, at=event.send_at, state=EntryState.SCHEDULED, subject=None,
        revision=revision_at(meta.occurred_at), clock_entry_id=event.clock_entry_id,
    )  # fmt: skip


async def on_newsletter_sent(uow: CalendarUnitOfWork, event: NewsletterSent, meta: EventMeta) -> None:
    await schedule_sources.newsletter_dated(
        uow, issue_id=event.issue_id, at=event.sent_at, state=EntryState.DONE, subject=event.subject,
        revision=revision_at(meta.occurred_at), clock_entry_id=event.clock_entry_id,
    )  # fmt: skip


async def on_newsletter_cancelled(uow: CalendarUnitOfWork, event: NewsletterCancelled, meta: EventMeta) -> None:
    """The issue's date leaves the schedule (a state event: before the issue's scheduling arrives it waits as a
    placeholder, so a late ``NewsletterScheduled`` never brings the date back)."""
    await schedule_sources.source_state(
        uow, kind=SourceKind.NEWSLETTER, source_id=event.issue_id, state=EntryState.CANCELLED,
        revision=revision_at(meta.occurred_at),
    )  # fmt: skip


async def on_facility_registered(uow: CalendarUnitOfWork, event: FacilityRegistered, meta: EventMeta) -> None:
    await schedule_sources.facility_registered(
        uow, facility_id=event.facility_id, name=event.name, address=event.address,
        department_code=event.department_code, revision=revision_at(meta.occurred_at),
    )  # fmt: skip


def subscriptions(_container: Calendar) -> list[Subscription[Any]]:
    return [
        *directory_subscriptions(applicants=True, departments=False, liaisons=False),
        Subscription(GrantProgrammeCreated, on_grant_programme_created),
        Subscription(GrantRoundScheduled, on_grant_round_scheduled),
        Subscription(GrantRoundOpened, on_grant_round_opened),
        Subscription(GrantRoundClosed, on_grant_round_closed),
        Subscription(UsageReportDue, on_usage_report_due),
        Subscription(UsageReportOverdue, on_usage_report_due),
        Subscription(UsageReportSubmitted, on_usage_report_done),
        Subscription(UsageReportAccepted, on_usage_report_done),
        Subscription(PartnershipDiscussionDue, on_partnership_discussion_due),
        Subscription(NewsletterScheduled, on_newsletter_scheduled),
        Subscription(NewsletterSent, on_newsletter_sent),
        Subscription(NewsletterCancelled, on_newsletter_cancelled),
        Subscription(FacilityRegistered, on_facility_registered),
    ]
