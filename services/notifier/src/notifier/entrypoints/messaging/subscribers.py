"""What the notifier does when another service's event arrives: ``on_<event>(uow, event, meta)``.

Each handler says which notice an event makes, for whom and where its link leads; the use case
(``service_layer.notifications``) resolves the recipients from the directory (an association's representatives),
the calendar (a registration's contact person, a survey's invitations) or grants (who holds a grant, who is a
partner: an event's audience) and makes the deliveries, in the consumer's transaction. A directory, calendar or
grants that does not answer fails the handler: the consumer retries the event.
"""

from __future__ import annotations

import uuid
from typing import Any

from notifier.bootstrap import Notifier
from notifier.domain.grant_decision import GrantDecision, Publication
from notifier.service_layer import audiences, decisions, notifications, survey_invitations
from notifier.service_layer.notices import CLOSES, EVENT_KINDS, ONLINE
from notifier.service_layer.notifications import Notice, Responsible, day, euros, local, season_slots, slots, span
from notifier.service_layer.unit_of_work import NotifierUnitOfWork
from shared.contracts.bookings import BookingCancelled, BookingConfirmed, BookingRejected, SeasonAllocationPublished
from shared.contracts.calendar import (
    EventScheduled,
    FeedbackSurveyAudience,
    FeedbackSurveyOpened,
    RegistrationCancelled,
    RegistrationConfirmed,
    RegistrationPromoted,
    RegistrationWaitlisted,
)
from shared.contracts.directory import MessageTopic
from shared.contracts.grants import (
    ApplicationDecided,
    ApplicationReturnedForCompletion,
    ApplicationSubmitted,
    DecisionsPublished,
    GrantRoundOpened,
    PartnershipDiscussionDue,
    UsageReportDue,
    UsageReportOverdue,
)
from shared.messaging.consumer import EventMeta, Subscription


def source(meta: EventMeta) -> str:
    return f"{meta.type}:{meta.event_id}"


def subscriptions(container: Notifier) -> list[Subscription[Any]]:
    settings, directory, calendar = container.settings, container.directory, container.calendar
    grants = container.grants

    async def tell(
        uow: NotifierUnitOfWork, meta: EventMeta, notice: Notice, association_id: uuid.UUID, topic: MessageTopic
    ) -> None:
        await notifications.notify_representatives(
            uow, settings=settings, directory=directory, source=source(meta), notice=notice,
            association_id=association_id, topic=topic,
        )  # fmt: skip

    async def on_grant_round_opened(uow: NotifierUnitOfWork, event: GrantRoundOpened, meta: EventMeta) -> None:
        closes = {lang: t.format(at=local(event.closes_at)) if event.closes_at else "" for lang, t in CLOSES.items()}
        notice = Notice(
            "grant_round_opened", f"{settings.grants_public_url}/rounds/{event.round_id}",
            {"year": str(event.year), "closes": closes},
            responsible=Responsible(f"grants:programme:{event.programme_id}"),
        )  # fmt: skip
        await notifications.notify_eligible(
            uow, settings=settings, directory=directory, source=source(meta), notice=notice,
            topic=MessageTopic.GRANTS, kinds=[k.value for k in event.eligible_kinds],
            fields_of_activity=event.fields_of_activity,
        )  # fmt: skip

    async def on_application_submitted(uow: NotifierUnitOfWork, event: ApplicationSubmitted, meta: EventMeta) -> None:
        link = f"{settings.grants_public_url}/applications/{event.application_id}"
        notice = Notice(
            "application_received", link, {"requested": euros(event.requested_cents)},
            responsible=Responsible(f"grants:programme:{event.programme_id}"),
        )  # fmt: skip
        await tell(uow, meta, notice, event.applicant_id, MessageTopic.GRANTS)

    async def on_application_returned(
        uow: NotifierUnitOfWork, event: ApplicationReturnedForCompletion, meta: EventMeta
    ) -> None:
        link = f"{settings.grants_public_url}/applications/{event.application_id}"
        notice = Notice("application_returned", link, responsible=Responsible())  # the coordinator answers
        await tell(uow, meta, notice, event.applicant_id, MessageTopic.GRANTS)

    async def on_application_decided(uow: NotifierUnitOfWork, event: ApplicationDecided, meta: EventMeta) -> None:
        decision = GrantDecision(
            event.application_id, event.round_id, event.applicant_id, event.requested_cents, event.approved_cents,
            decided_at=meta.occurred_at,
        )  # fmt: skip
        await decisions.record_decision(uow, settings=settings, directory=directory, decision=decision)

    async def on_decisions_published(uow: NotifierUnitOfWork, event: DecisionsPublished, meta: EventMeta) -> None:
        await decisions.publish_decisions(
            uow, settings=settings, directory=directory, publication=Publication(source(meta), event.programme_id),
            round_id=event.round_id, published_at=event.published_at,
        )  # fmt: skip

    def on_booking(template: str) -> Any:
        async def handler(
            uow: NotifierUnitOfWork, event: BookingConfirmed | BookingRejected | BookingCancelled, meta: EventMeta
        ) -> None:
            if event.applicant_id is None:  # the city's own block: no association to tell
                return
            if isinstance(event, BookingConfirmed) and event.season_round_id is not None:
                return  # a published season allocation's series: told in its SeasonAllocationPublished
            times = [(o.starts_at, o.ends_at) for o in event.occurrences]
            notice = Notice(
                template, f"{settings.bookings_public_url}/bookings/{event.booking_id}",
                {"slots": {lang: slots(times, lang) for lang in notifications.LANGUAGES}},
                responsible=Responsible(f"bookings:facility:{event.facility_id}", event.department_code),
            )  # fmt: skip
            await tell(uow, meta, notice, event.applicant_id, MessageTopic.BOOKINGS)

        return handler

    def on_registration(template: str) -> Any:
        async def handler(
            uow: NotifierUnitOfWork,
            event: RegistrationConfirmed | RegistrationWaitlisted | RegistrationPromoted | RegistrationCancelled,
            meta: EventMeta,
        ) -> None:
            values = {"participants": str(event.participants)}
            if isinstance(event, RegistrationWaitlisted):
                values["position"] = str(event.position)
            notice = Notice(template, f"{settings.calendar_public_url}/events/{event.event_id}", values)
            await notifications.notify_registrant(
                uow, settings=settings, calendar=calendar, source=source(meta), notice=notice,
                registration_id=event.registration_id,
            )  # fmt: skip

        return handler

    async def on_feedback_survey_opened(uow: NotifierUnitOfWork, event: FeedbackSurveyOpened, meta: EventMeta) -> None:
        yearly = event.audience is FeedbackSurveyAudience.ALL_ASSOCIATIONS
        await survey_invitations.send_invitations(
            uow, settings=settings, calendar=calendar, directory=directory, source=source(meta),
            survey_id=event.survey_id, template="survey_yearly" if yearly else "survey_event",
            closes_at=event.closes_at,
        )  # fmt: skip

    def on_usage_report(template: str) -> Any:
        async def handler(uow: NotifierUnitOfWork, event: UsageReportDue | UsageReportOverdue, meta: EventMeta) -> None:
            programme = f"grants:programme:{event.programme_id}" if event.programme_id else None
            notice = Notice(
                template, f"{settings.grants_public_url}/usage-reports/{event.report_id}",
                {"due": day(event.due_date)}, responsible=Responsible(programme, event.department_code),
            )  # fmt: skip
            await tell(uow, meta, notice, event.applicant_id, MessageTopic.GRANTS)

        return handler

    async def on_partnership_discussion_due(
        uow: NotifierUnitOfWork, event: PartnershipDiscussionDue, meta: EventMeta
    ) -> None:
        notice = Notice(
            "partnership_discussion_due",
            f"{settings.grants_public_url}/partnerships/{event.agreement_id}/discussions/{event.discussion_id}",
            {"due": day(event.due_on)},
            responsible=Responsible(f"grants:partnership:{event.agreement_id}", event.department_code),
        )  # fmt: skip
        await tell(uow, meta, notice, event.applicant_id, MessageTopic.PARTNERSHIP)

    async def on_season_allocation_published(
        uow: NotifierUnitOfWork, event: SeasonAllocationPublished, meta: EventMeta
    ) -> None:
        notice = Notice(
            "season_allocation_published" if event.slots else "season_allocation_none",
            f"{settings.bookings_public_url}/season-rounds/{event.round_id}/results",
            {"slots": {lang: season_slots(event.slots, lang) for lang in notifications.LANGUAGES}},
            responsible=Responsible(department_code=event.department_code),
        )  # fmt: skip
        await tell(uow, meta, notice, event.applicant_id, MessageTopic.BOOKINGS)

    async def on_event_scheduled(uow: NotifierUnitOfWork, event: EventScheduled, meta: EventMeta) -> None:
        notice = Notice(
            "event_scheduled", f"{settings.calendar_public_url}/events/{event.event_id}",
            {
                "title": event.title, "when": span(event.starts_at, event.ends_at),
                "kind": {lang: kinds[event.kind.value] for lang, kinds in EVENT_KINDS.items()},
                "online": ONLINE if event.online else "",
            },
            responsible=Responsible(department_code=event.department_code),
        )  # fmt: skip
        await audiences.notify_audience(
            uow, settings=settings, directory=directory, grants=grants, source=source(meta), notice=notice,
            audience=event.audience,
        )  # fmt: skip

    return [
        Subscription(GrantRoundOpened, on_grant_round_opened),
        Subscription(ApplicationSubmitted, on_application_submitted),
        Subscription(ApplicationReturnedForCompletion, on_application_returned),
        Subscription(ApplicationDecided, on_application_decided),
        Subscription(DecisionsPublished, on_decisions_published),
        Subscription(BookingConfirmed, on_booking("booking_confirmed")),
        Subscription(BookingRejected, on_booking("booking_rejected")),
        Subscription(BookingCancelled, on_booking("booking_cancelled")),
        Subscription(RegistrationConfirmed, on_registration("registration_confirmed")),
        Subscription(RegistrationWaitlisted, on_registration("registration_waitlisted")),
        Subscription(RegistrationPromoted, on_registration("registration_promoted")),
        Subscription(RegistrationCancelled, on_registration("registration_cancelled")),
        Subscription(FeedbackSurveyOpened, on_feedback_survey_opened),
        Subscription(UsageReportDue, on_usage_report("usage_report_due")),
        Subscription(UsageReportOverdue, on_usage_report("usage_report_overdue")),
        Subscription(PartnershipDiscussionDue, on_partnership_discussion_due),
        Subscription(SeasonAllocationPublished, on_season_allocation_published),
        Subscription(EventScheduled, on_event_scheduled),
    ]
