"""The directory's records in another service's copy: one mapping from the directory's events, for every copier.

Grants, bookings and the calendar check their rules against the directory's applicants, departments and
liaison contacts, each in its own tables (``shared.copies``). What each keeps differs — a column list of its
own — but how an event becomes a guarded write does not, and it lives here once:

| event | writes, guarded by | values |
| --- | --- | --- |
| ``AssociationRegistered``, ``AssociationUpdated`` | the record's ``revision`` | the whole public state |
| ``AssociationDeactivated``, ``AssociationReactivated`` | the record's ``revision`` | ``active`` (a status) |
| ``DepartmentRegistered`` | the event's time (``revision_at``) | ``code``, ``name`` |
| ``LiaisonAssigned`` | the event's time | ``kind``, ``department_id``, ``subject_ref``, ``assigned`` true |
| ``LiaisonUnassigned`` | the event's time | ``assigned`` false (a status) |

A value is written only where the copy's table has that column, so a service keeps what its rules need and
nothing more; a private person's name is never kept (ADR 0003). A service's unit of work names its copy
repositories ``applicants``, ``departments`` and ``liaisons`` (each a :class:`~shared.copies.CopyRepository`)
and subscribes with :func:`directory_subscriptions` for those it keeps. Each write joins the consumer's unit
of work, which holds the event's inbox row.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from types import TracebackType
from typing import Any, Protocol

from shared.contracts.directory import (
    ApplicantKind,
    AssociationDeactivated,
    AssociationReactivated,
    AssociationRegistered,
    AssociationUpdated,
    DepartmentRegistered,
    LiaisonAssigned,
    LiaisonKind,
    LiaisonUnassigned,
)
from shared.copies import CopyRepository, revision_at
from shared.messaging.consumer import EventMeta, Subscription


class CopyingUnit(Protocol):
    """A unit of work keeping some of the directory's records (only the repositories it keeps are read)."""

    async def __aenter__(self) -> Any: ...
    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...
    async def commit(self) -> None: ...


async def _write(
    uow: CopyingUnit, copies: str, id_: uuid.UUID, revision: int, values: Mapping[str, Any], *, status: bool = False
) -> None:
    async with uow:
        repository: CopyRepository[Any] = getattr(uow, copies)
        kept = {name: value for name, value in values.items() if name in repository.table.c}
        if status:
            await repository.put_status(id_, revision, kept)
        else:
            await repository.put_record(id_, revision, kept)
        await uow.commit()


# -- the writes, also for tests and first fills that seed a copy ---------------------------------------------
async def copy_applicant(
    uow: CopyingUnit,
    *,
    applicant_id: uuid.UUID,
    kind: ApplicantKind,
    name: str | None,
    active: bool,
    revision: int,
    fields_of_activity: list[str] | None = None,
    district: str | None = None,
    languages: list[str] | None = None,
) -> None:
    """The applicant's whole public state (registered, updated); a private person's name is never kept."""
    values = {
        "kind": kind.value,
        "name": None if kind is ApplicantKind.PRIVATE_PERSON else name,
        "active": active,
        "fields_of_activity": fields_of_activity or [],
        "district": district,
        "languages": languages or [],
    }
    await _write(uow, "applicants", applicant_id, revision, values)


async def copy_applicant_status(uow: CopyingUnit, *, applicant_id: uuid.UUID, active: bool, revision: int) -> None:
    """Deactivated or reactivated: only ``active`` changes, and only when newer."""
    await _write(uow, "applicants", applicant_id, revision, {"active": active}, status=True)


async def copy_department(uow: CopyingUnit, *, department_id: uuid.UUID, code: str, name: str, revision: int) -> None:
    await _write(uow, "departments", department_id, revision, {"code": code, "name": name})


async def copy_liaison(
    uow: CopyingUnit,
    *,
    liaison_id: uuid.UUID,
    kind: LiaisonKind,
    department_id: uuid.UUID | None,
    revision: int,
    subject_ref: str | None = None,
) -> None:
    """A liaison contact was assigned (or its assignment changed)."""
    values = {"kind": kind.value, "department_id": department_id, "subject_ref": subject_ref, "assigned": True}
    await _write(uow, "liaisons", liaison_id, revision, values)


async def copy_liaison_unassigned(uow: CopyingUnit, *, liaison_id: uuid.UUID, revision: int) -> None:
    """The contact left its role: kept as unassigned, so that an older assignment arriving late stays void."""
    await _write(uow, "liaisons", liaison_id, revision, {"assigned": False}, status=True)


# -- the subscriptions --------------------------------------------------------------------------------------------
async def on_association_state(
    uow: CopyingUnit, event: AssociationRegistered | AssociationUpdated, meta: EventMeta
) -> None:
    await copy_applicant(
        uow, applicant_id=event.applicant_id, kind=event.kind, name=event.name, active=event.active,
        revision=event.revision, fields_of_activity=event.fields_of_activity, district=event.district,
        languages=event.languages,
    )  # fmt: skip


async def on_association_deactivated(uow: CopyingUnit, event: AssociationDeactivated, meta: EventMeta) -> None:
    await copy_applicant_status(uow, applicant_id=event.applicant_id, active=False, revision=event.revision)


async def on_association_reactivated(uow: CopyingUnit, event: AssociationReactivated, meta: EventMeta) -> None:
    await copy_applicant_status(uow, applicant_id=event.applicant_id, active=True, revision=event.revision)


async def on_department_registered(uow: CopyingUnit, event: DepartmentRegistered, meta: EventMeta) -> None:
    await copy_department(
        uow, department_id=event.department_id, code=event.code, name=event.name, revision=revision_at(meta.occurred_at)
    )


async def on_liaison_assigned(uow: CopyingUnit, event: LiaisonAssigned, meta: EventMeta) -> None:
    await copy_liaison(
        uow, liaison_id=event.liaison_id, kind=event.kind, department_id=event.department_id,
        subject_ref=event.subject_ref, revision=revision_at(meta.occurred_at),
    )  # fmt: skip


async def on_liaison_unassigned(uow: CopyingUnit, event: LiaisonUnassigned, meta: EventMeta) -> None:
    await copy_liaison_unassigned(uow, liaison_id=event.liaison_id, revision=revision_at(meta.occurred_at))


def directory_subscriptions(
    *, applicants: bool = True, departments: bool = True, liaisons: bool = True
) -> list[Subscription[Any]]:
    """The subscriptions keeping the copies a service has (``uow.applicants``, ``.departments``, ``.liaisons``)."""
    chosen: list[Subscription[Any]] = []
    if applicants:
        chosen += [
            Subscription(AssociationRegistered, on_association_state),
            Subscription(AssociationUpdated, on_association_state),
            Subscription(AssociationDeactivated, on_association_deactivated),
            Subscription(AssociationReactivated, on_association_reactivated),
        ]
    if departments:
        chosen.append(Subscription(DepartmentRegistered, on_department_registered))
    if liaisons:
        chosen += [
            Subscription(LiaisonAssigned, on_liaison_assigned),
            Subscription(LiaisonUnassigned, on_liaison_unassigned),
        ]
    return chosen
