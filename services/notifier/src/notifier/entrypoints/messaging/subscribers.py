"""What the notifier does when another service's event arrives: ``on_<event>(uow, event, meta)``.

Each handler says which notice an event makes, for whom and where its link leads; the use case
(``service_layer.notifications``) resolves the recipients from the directory (an association's representatives)
or the calendar (a registration's contact person, a survey's invitations) and makes the deliveries, in the
consumer's transaction. A directory or calendar that does not answer fails the handler: the consumer retries
the event.
"""

from __future__ import annotations

import uuid
from typing import Any

from notifier.bootstrap import Notifier
from notifier.domain.grant_decision import GrantDecision
from notifier.service_layer import decisions, notifications, survey_invitations
from notifier.service_layer.notices import CLOSES
from notifier.service_layer.notifications import Notice, euros, local, slots
from notifier.service_layer.unit_of_work import NotifierUnitOfWork
from shared.contracts.bookings import BookingCancelled, BookingConfirmed, BookingRejected
from shared.contracts.calendar import (
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
)
from shared.messaging.consumer import EventMeta, Subscription


def source(meta: EventMeta) -> str:
    return f"{meta.type}:{meta.event_id}"


def subscriptions(container: Notifier) -> list[Subscription[Any]]:
    settings, directory, calendar = container.settings, container.directory, container.calendar

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
        )  # fmt: skip
        await notifications.notify_eligible(
            uow, settings=settings, directory=directory, source=source(meta), notice=notice,
            topic=MessageTopic.GRANTS, kinds=[k.value for k in event.eligible_kinds],
            fields_of_activity=event.fields_of_activity,
        )  # fmt: skip

    async def on_application_submitted(uow: NotifierUnitOfWork, event: ApplicationSubmitted, meta: EventMeta) -> None:
        link = f"{settings.grants_public_url}/applications/{event.application_id}"
        notice = Notice("application_received", link, {"requested": euros(event.requested_cents)})
        await tell(uow, meta, notice, event.applicant_id, MessageTopic.GRANTS)

    async def on_application_returned(
        uow: NotifierUnitOfWork, event: ApplicationReturnedForCompletion, meta: EventMeta
    ) -> None:
        link = f"{settings.grants_public_url}/applications/{event.application_id}"
        await tell(uow, meta, Notice("application_returned", link), event.applicant_id, MessageTopic.GRANTS)

    async def on_application_decided(uow: NotifierUnitOfWork, event: ApplicationDecided, meta: EventMeta) -> None:
        decision = GrantDecision(
            event.application_id, event.round_id, event.applicant_id, event.requested_cents, event.approved_cents,
            decided_at=meta.occurred_at,
        )  # fmt: skip
        await decisions.record_decision(uow, settings=settings, directory=directory, decision=decision)

    async def on_decisions_published(uow: NotifierUnitOfWork, event: DecisionsPublished, meta: EventMeta) -> None:
        await decisions.publish_decisions(
            uow, settings=settings, directory=directory, source=source(meta), round_id=event.round_id,
            published_at=event.published_at,
        )  # fmt: skip

    def on_booking(template: str) -> Any:
        async def handler(
            uow: NotifierUnitOfWork, event: BookingConfirmed | BookingRejected | BookingCancelled, meta: EventMeta
        ) -> None:
            if event.applicant_id is None:  # the city's own block: no association to tell
                return
            times = [(o.starts_at, o.ends_at) for o in event.occurrences]
            notice = Notice(
                template, f"{settings.bookings_public_url}/bookings/{event.booking_id}",
                {"slots": {lang: slots(times, lang) for lang in notifications.LANGUAGES}},
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
    ]
