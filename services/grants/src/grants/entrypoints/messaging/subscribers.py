"""What grants does when another service's event arrives: ``on_<event>(uow, event, meta)`` calls a use case.

The consumer (``shared.messaging.consumer``) has entered the unit of work and recorded the event in the inbox;
the use case joins that transaction. The directory's department and liaison events carry no revision, so
their time orders them (``revision_at``).
"""

from __future__ import annotations

from typing import Any

from grants.bootstrap import Grants
from grants.service_layer import directory_copy
from grants.service_layer.unit_of_work import GrantsUnitOfWork
from shared.contracts.directory import (
    AssociationDeactivated,
    AssociationReactivated,
    AssociationRegistered,
    AssociationUpdated,
    DepartmentRegistered,
    LiaisonAssigned,
    LiaisonUnassigned,
)
from shared.copies import revision_at
from shared.messaging.consumer import EventMeta, Subscription


async def on_association_state(
    uow: GrantsUnitOfWork, event: AssociationRegistered | AssociationUpdated, meta: EventMeta
) -> None:
    await directory_copy.copy_applicant(
        uow, applicant_id=event.applicant_id, kind=event.kind, name=event.name, active=event.active,
        revision=event.revision,
    )  # fmt: skip


async def on_association_deactivated(uow: GrantsUnitOfWork, event: AssociationDeactivated, meta: EventMeta) -> None:
    await directory_copy.copy_applicant_status(
        uow, applicant_id=event.applicant_id, active=False, revision=event.revision
    )


async def on_association_reactivated(uow: GrantsUnitOfWork, event: AssociationReactivated, meta: EventMeta) -> None:
    await directory_copy.copy_applicant_status(
        uow, applicant_id=event.applicant_id, active=True, revision=event.revision
    )


async def on_department_registered(uow: GrantsUnitOfWork, event: DepartmentRegistered, meta: EventMeta) -> None:
    await directory_copy.copy_department(
        uow, department_id=event.department_id, code=event.code, name=event.name, revision=revision_at(meta.occurred_at)
    )


async def on_liaison_assigned(uow: GrantsUnitOfWork, event: LiaisonAssigned, meta: EventMeta) -> None:
    await directory_copy.copy_liaison(
        uow, liaison_id=event.liaison_id, kind=event.kind, department_id=event.department_id,
        subject_ref=event.subject_ref, revision=revision_at(meta.occurred_at),
    )  # fmt: skip


async def on_liaison_unassigned(uow: GrantsUnitOfWork, event: LiaisonUnassigned, meta: EventMeta) -> None:
    await directory_copy.copy_liaison_unassigned(
        uow, liaison_id=event.liaison_id, revision=revision_at(meta.occurred_at)
    )


def subscriptions(_container: Grants) -> list[Subscription[Any]]:
    return [
        Subscription(AssociationRegistered, on_association_state),
        Subscription(AssociationUpdated, on_association_state),
        Subscription(AssociationDeactivated, on_association_deactivated),
        Subscription(AssociationReactivated, on_association_reactivated),
        Subscription(DepartmentRegistered, on_department_registered),
        Subscription(LiaisonAssigned, on_liaison_assigned),
        Subscription(LiaisonUnassigned, on_liaison_unassigned),
    ]
