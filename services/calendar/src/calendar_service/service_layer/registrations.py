"""Registrations for events: confirmed while seats last, then a waiting line promoted as seats free up.

Every registration and cancellation of an event locks the event's row first (``uow.association_events.lock``), so they
take turns: the seat count and the line are consistent under any concurrency, and the database's check
(``ck_calendar_event_seats_within_capacity``) refuses anything over the capacity regardless.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from calendar_service.domain.event import Event, EventState
from calendar_service.domain.registration import Registration, RegistrationState, fits, promotions
from calendar_service.service_layer.events import load_event
from calendar_service.service_layer.unit_of_work import CalendarUnitOfWork
from shared.auth import Principal
from shared.contracts.calendar import (
    RegistrationCancelled,
    RegistrationConfirmed,
    RegistrationPromoted,
    RegistrationWaitlisted,
)
from shared.errors import Forbidden, NotFound


@dataclass(frozen=True)
class ShownRegistration:
    registration: Registration
    position: int | None  # in the waiting line: 1 is next


def _ids(r: Registration) -> dict[str, object]:
    return {
        "registration_id": r.id, "event_id": r.event_id, "association_id": r.association_id,
        "participants": r.participants,
    }  # fmt: skip


def _ensure_acts_for(actor: Principal, association_id: uuid.UUID, event: Event) -> None:
    if actor.role.value == "association" and association_id in actor.association_ids:
        return
    if actor.acts_for_department(event.department_code):
        return
    raise Forbidden("Only the association's representatives (or the organisers) may do this.")


async def register(
    uow: CalendarUnitOfWork,
    *,
    actor: Principal,
    event_id: uuid.UUID,
    association_id: uuid.UUID,
    participants: int,
    contact_name: str,
    contact_email: str,
    contact_phone: str | None,
    now: datetime,
    contact_language: str = "fi",
) -> ShownRegistration:
    async with uow:
        event = await load_event(uow, actor, event_id, lock=True)
        _ensure_acts_for(actor, association_id, event)
        event.ensure_registration_open(now)
        waiting = await uow.registrations.waiting(event.id)
        confirmed = not waiting and fits(event, participants)
        registration = Registration(
            id=uuid.uuid4(), event_id=event.id, association_id=association_id, participants=participants,
            state=RegistrationState.CONFIRMED if confirmed else RegistrationState.WAITLISTED,
            contact_name=contact_name, contact_email=contact_email, contact_phone=contact_phone,
            contact_language=contact_language, registered_by=actor.subject,
        )  # fmt: skip
        await uow.registrations.add(registration)
        position = None
        if confirmed:
            event.seats_taken += participants
            await uow.association_events.save(event)
            uow.emit(RegistrationConfirmed(**_ids(registration)))
        else:
            position = len(waiting) + 1
            uow.emit(RegistrationWaitlisted(**_ids(registration), position=position))
        await uow.commit()
    return ShownRegistration(registration, position)


async def _registration(uow: CalendarUnitOfWork, actor: Principal, registration_id: uuid.UUID) -> Registration:
    registration = await uow.registrations.get(registration_id)
    if registration is None:
        raise NotFound("No such registration.", field="registration_id")
    event = await uow.association_events.get(registration.event_id)
    assert event is not None
    if not (actor.acts_for_department(event.department_code) or registration.association_id in actor.association_ids):
        raise NotFound("No such registration.", field="registration_id")  # another's registration is not there
    return registration


async def cancel(
    uow: CalendarUnitOfWork, *, actor: Principal, registration_id: uuid.UUID, now: datetime
) -> ShownRegistration:
    """Cancel before the cut-off; freed seats go to the head of the line, as far as they reach."""
    async with uow:
        registration = await _registration(uow, actor, registration_id)
        event = await uow.association_events.lock(
            registration.event_id
        )  # every change to the event's seats takes turns
        assert event is not None
        registration = await _registration(uow, actor, registration_id)  # as it is now that we hold the lock
        freed = registration.cancel(event, now)
        await uow.registrations.save(registration)
        uow.emit(RegistrationCancelled(**_ids(registration), was_confirmed=freed))
        if freed:
            event.seats_taken -= registration.participants
        if event.state in (EventState.PUBLISHED, EventState.POSTPONED):
            for promoted in promotions(event, await uow.registrations.waiting(event.id)):
                promoted.state, promoted.promoted_at = RegistrationState.CONFIRMED, now
                event.seats_taken += promoted.participants
                await uow.registrations.save(promoted)
                uow.emit(RegistrationPromoted(**_ids(promoted)))
        await uow.association_events.save(event)
        await uow.commit()
    return ShownRegistration(registration, None)


async def _shown(uow: CalendarUnitOfWork, r: Registration) -> ShownRegistration:
    if r.state is not RegistrationState.WAITLISTED or r.queue_number is None:
        return ShownRegistration(r, None)
    return ShownRegistration(r, await uow.registrations.waiting_before(r.event_id, r.queue_number) + 1)


async def get_registration(
    uow: CalendarUnitOfWork, *, actor: Principal, registration_id: uuid.UUID
) -> ShownRegistration:
    async with uow:
        return await _shown(uow, await _registration(uow, actor, registration_id))


async def registrations_of_event(
    uow: CalendarUnitOfWork, *, actor: Principal, event_id: uuid.UUID, limit: int, offset: int
) -> tuple[list[ShownRegistration], int]:
    """The organisers see every registration of their event, in the order of arrival."""
    async with uow:
        event = await load_event(uow, actor, event_id)
        if not actor.acts_for_department(event.department_code):
            raise Forbidden("Only the organising department's staff (or an admin) see the registrations.")
        found, total = await uow.registrations.of_event(event_id, limit=limit, offset=offset)
        return [await _shown(uow, r) for r in found], total


async def registrations_of_association(
    uow: CalendarUnitOfWork, *, actor: Principal, association_id: uuid.UUID, limit: int, offset: int
) -> tuple[list[ShownRegistration], int]:
    async with uow:
        if association_id not in actor.association_ids and not actor.is_staff_or_admin:
            raise Forbidden("Only the association's representatives see its registrations.")
        found, total = await uow.registrations.of_associations({association_id}, limit=limit, offset=offset)
        return [await _shown(uow, r) for r in found], total
