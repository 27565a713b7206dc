"""What bookings does when another service's event arrives: ``on_<event>(uow, event, meta)`` calls a use case.

The consumer (``shared.messaging.consumer``) has entered the unit of work and recorded the event in the inbox;
the use case joins that transaction. The directory's events keep bookings' copy of applicants, departments and
facility contacts through the kit (``shared.directory_copy``); grants' partnership events are bookings' own.
"""

from __future__ import annotations

from typing import Any

from bookings.bootstrap import Bookings
from bookings.service_layer import copies
from bookings.service_layer.unit_of_work import BookingsUnitOfWork
from shared.contracts.grants import PartnershipAgreementEnded, PartnershipAgreementSigned
from shared.directory_copy import directory_subscriptions
from shared.messaging.consumer import EventMeta, Subscription


async def on_partnership_signed(uow: BookingsUnitOfWork, event: PartnershipAgreementSigned, meta: EventMeta) -> None:
    premises = event.premises
    await copies.copy_partnership(
        uow,
        agreement_id=event.agreement_id,
        applicant_id=event.applicant_id,
        department_code=event.department_code,
        starts_on=event.starts_on,
        ends_on=event.ends_on,
        free_premises=premises is not None and premises.free_use,
        facility_ids=list(premises.facility_ids) if premises else [],
    )


async def on_partnership_ended(uow: BookingsUnitOfWork, event: PartnershipAgreementEnded, meta: EventMeta) -> None:
    await copies.copy_partnership_ended(
        uow, agreement_id=event.agreement_id, applicant_id=event.applicant_id, ended_on=event.ended_on
    )


def subscriptions(_container: Bookings) -> list[Subscription[Any]]:
    return [
        *directory_subscriptions(applicants=True, departments=True, liaisons=True),
        Subscription(PartnershipAgreementSigned, on_partnership_signed),
        Subscription(PartnershipAgreementEnded, on_partnership_ended),
    ]
