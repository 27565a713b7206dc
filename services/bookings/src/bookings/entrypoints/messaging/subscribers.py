"""What bookings does when another service's event arrives: ``on_<event>(uow, event, meta)`` calls a use case.

The consumer (``shared.messaging.consumer``) has entered the unit of work and recorded the event in the inbox;
the use case joins that transaction. The directory's department and liaison events carry no revision, so their
time orders them (``revision_at``).
"""

from __future__ import annotations

from typing import Any

from bookings.bootstrap import Bookings
from bookings.service_layer import copies
from bookings.service_layer.unit_of_work import BookingsUnitOfWork
from shared.contracts.directory import (
    AssociationDeactivated,
    AssociationReactivated,
    AssociationRegistered,
    AssociationUpdated,
    DepartmentRegistered,
    LiaisonAssigned,
    LiaisonUnassigned,
)
from shared.contracts.grants import PartnershipAgreementEnded, PartnershipAgreementSigned
from shared.copies import revision_at
from shared.messaging.consumer import EventMeta, Subscription


async def on_association_state(
    uow: BookingsUnitOfWork, event: AssociationRegistered | AssociationUpdated, meta: EventMeta
) -> None:
    await copies.copy_applicant(
        uow,
        applicant_id=event.applicant_id,
        kind=event.kind,
        name=event.name,
        active=event.active,
        revision=event.revision,
    )


async def on_association_deactivated(uow: BookingsUnitOfWork, event: AssociationDeactivated, meta: EventMeta) -> None:
    await copies.copy_applicant_status(uow, applicant_id=event.applicant_id, active=False, revision=event.revision)


async def on_association_reactivated(uow: BookingsUnitOfWork, event: AssociationReactivated, meta: EventMeta) -> None:
    await copies.copy_applicant_status(uow, applicant_id=event.applicant_id, active=True, revision=event.revision)


async def on_department_registered(uow: BookingsUnitOfWork, event: DepartmentRegistered, meta: EventMeta) -> None:
    await copies.copy_department(
        uow, department_id=event.department_id, code=event.code, name=event.name, revision=revision_at(meta.occurred_at)
    )


async def on_liaison_assigned(uow: BookingsUnitOfWork, event: LiaisonAssigned, meta: EventMeta) -> None:
    await copies.copy_liaison(
        uow,
        liaison_id=event.liaison_id,
        kind=event.kind,
        department_id=event.department_id,
        revision=revision_at(meta.occurred_at),
    )


async def on_liaison_unassigned(uow: BookingsUnitOfWork, event: LiaisonUnassigned, meta: EventMeta) -> None:
    await copies.copy_liaison_unassigned(uow, liaison_id=event.liaison_id, revision=revision_at(meta.occurred_at))


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
        Subscription(AssociationRegistered, on_association_state),
        Subscription(AssociationUpdated, on_association_state),
        Subscription(AssociationDeactivated, on_association_deactivated),
        Subscription(AssociationReactivated, on_association_reactivated),
        Subscription(DepartmentRegistered, on_department_registered),
        Subscription(LiaisonAssigned, on_liaison_assigned),
        Subscription(LiaisonUnassigned, on_liaison_unassigned),
        Subscription(PartnershipAgreementSigned, on_partnership_signed),
        Subscription(PartnershipAgreementEnded, on_partnership_ended),
    ]
