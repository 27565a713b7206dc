"""Use cases of events for associations: the department's staff plan and publish them, everyone reads them.

A published event is on the schedule (one entry, moved by every change: ``SourceKind.EVENT``) and announced
with ``EventScheduled``; changes, postponements and cancellations follow as ``EventChanged`` and
``EventCancelled``. A draft is its department's own: to anyone else it does not exist.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from calendar_service.domain.annual_clock import Category
from calendar_service.domain.event import REGISTERABLE, Event, EventState
from calendar_service.domain.schedule import EntryState, SourceKind, entry_id
from calendar_service.service_layer.unit_of_work import CalendarUnitOfWork
from shared.auth import Principal, Role
from shared.contracts.calendar import EventAudience, EventCancelled, EventChanged, EventKind, EventScheduled
from shared.errors import Forbidden, InvalidInput, NotFound
from shared.localtime import local_date

_STATE_ON_SCHEDULE = {
    EventState.PUBLISHED: EntryState.SCHEDULED,
    EventState.POSTPONED: EntryState.SCHEDULED,
    EventState.CANCELLED: EntryState.CANCELLED,
    EventState.HELD: EntryState.DONE,
}


def _ensure_department(actor: Principal, event: Event) -> None:
    if not actor.acts_for_department(event.department_code):
        raise Forbidden("Only the organising department's staff (or an admin) may do this.")


async def load_event(uow: CalendarUnitOfWork, actor: Principal, event_id: uuid.UUID, *, lock: bool = False) -> Event:
    event = await (uow.association_events.lock(event_id) if lock else uow.association_events.get(event_id))
    if event is None or (event.state is EventState.DRAFT and not actor.acts_for_department(event.department_code)):
        raise NotFound("No such event.", field="event_id")
    return event


async def _place(uow: CalendarUnitOfWork, event: Event) -> str | None:
    """Where the event is, for the schedule: its facility (a copy of bookings') by name and address, or its
    address. A facility the calendar has not heard of cannot be chosen."""
    if event.facility_id is None:
        return event.address
    facility = await uow.facilities.get(event.facility_id)
    if facility is None or facility.name is None:
        raise InvalidInput("No such facility (the bookings service has not registered it).", field="facility_id")
    return event.address or facility.place


async def create_event(uow: CalendarUnitOfWork, *, actor: Principal, fields: dict[str, Any]) -> Event:
    event = Event(id=uuid.uuid4(), **fields)
    event.validate()
    _ensure_department(actor, event)
    async with uow:
        await _place(uow, event)
        await uow.association_events.add(event)
        await uow.commit()
    return event


def _public_state(event: Event, *, postponed: bool = False) -> dict[str, Any]:
    return {
        "event_id": event.id, "kind": event.kind, "title": event.title_fi, "starts_at": event.starts_at,
        "ends_at": event.ends_at, "facility_id": event.facility_id, "online": event.online_url is not None,
        "capacity": event.capacity, "department_code": event.department_code, "revision": event.revision,
    }  # fmt: skip


def _category(event: Event) -> Category:
    if event.kind is EventKind.COOPERATION_GROUP_MEETING:
        return Category.COOPERATION_GROUP
    return Category.ASSOCIATION_EVENING if event.kind is EventKind.ASSOCIATION_EVENING else Category.EVENT


async def _on_schedule(uow: CalendarUnitOfWork, event: Event) -> None:
    """The event's one entry on the schedule, moved with it (its revision orders the writes)."""
    values = {
        "kind": SourceKind.EVENT.value, "source_id": event.id, "year": local_date(event.starts_at).year,
        "category": _category(event).value,
        "audience": event.audience.value, "title_fi": event.title_fi, "title_sv": event.title_sv,
        "title_en": event.title_en, "description_fi": event.description_fi,
        "starts_on": local_date(event.starts_at), "ends_on": local_date(event.ends_at),
        "starts_at": event.starts_at, "ends_at": event.ends_at, "facility_id": event.facility_id,
        "address": await _place(uow, event), "online_url": event.online_url,
        "state": _STATE_ON_SCHEDULE[event.state].value,
    }  # fmt: skip
    await uow.schedule.put(entry_id(SourceKind.EVENT, event.id), event.revision, values)


async def update_event(
    uow: CalendarUnitOfWork, *, actor: Principal, event_id: uuid.UUID, changes: dict[str, Any]
) -> Event:
    async with uow:
        event = await load_event(uow, actor, event_id, lock=True)
        _ensure_department(actor, event)
        event.ensure_editable()
        for name, value in changes.items():
            setattr(event, name, value)
        event.validate()
        await _place(uow, event)
        event.changed()
        await uow.association_events.save(event)
        if event.state in REGISTERABLE:
            uow.emit(EventChanged(**_public_state(event), postponed=event.state is EventState.POSTPONED))
            await _on_schedule(uow, event)
        await uow.commit()
    return event


async def publish_event(uow: CalendarUnitOfWork, *, actor: Principal, event_id: uuid.UUID) -> Event:
    async with uow:
        event = await load_event(uow, actor, event_id, lock=True)
        _ensure_department(actor, event)
        event.publish()
        await uow.association_events.save(event)
        uow.emit(EventScheduled(**_public_state(event), audience=EventAudience(event.audience.value)))
        await _on_schedule(uow, event)
        await uow.commit()
    return event


async def postpone_event(
    uow: CalendarUnitOfWork, *, actor: Principal, event_id: uuid.UUID, starts_at: datetime, ends_at: datetime
) -> Event:
    async with uow:
        event = await load_event(uow, actor, event_id, lock=True)
        _ensure_department(actor, event)
        event.postpone(starts_at, ends_at)
        await uow.association_events.save(event)
        uow.emit(EventChanged(**_public_state(event), postponed=True))
        await _on_schedule(uow, event)
        await uow.commit()
    return event


async def cancel_event(uow: CalendarUnitOfWork, *, actor: Principal, event_id: uuid.UUID) -> Event:
    async with uow:
        event = await load_event(uow, actor, event_id, lock=True)
        _ensure_department(actor, event)
        was_public = event.state is not EventState.DRAFT
        event.cancel()
        await uow.association_events.save(event)
        if was_public:
            uow.emit(EventCancelled(event_id=event.id, revision=event.revision))
            await _on_schedule(uow, event)
        await uow.commit()
    return event


async def mark_held(uow: CalendarUnitOfWork, *, actor: Principal, event_id: uuid.UUID, now: datetime) -> Event:
    async with uow:
        event = await load_event(uow, actor, event_id, lock=True)
        _ensure_department(actor, event)
        event.mark_held(now)
        await uow.association_events.save(event)
        await _on_schedule(uow, event)
        await uow.commit()
    return event


async def publish_materials(
    uow: CalendarUnitOfWork, *, actor: Principal, event_id: uuid.UUID, materials: list[dict[str, Any]]
) -> Event:
    async with uow:
        event = await load_event(uow, actor, event_id, lock=True)
        _ensure_department(actor, event)
        event.publish_materials(materials)
        await uow.association_events.save(event)
        await uow.commit()
    return event


async def record_minutes(
    uow: CalendarUnitOfWork, *, actor: Principal, event_id: uuid.UUID, minutes_md: str | None
) -> Event:
    """A cooperation group meeting's minutes (Markdown), by its department's staff, also after the meeting."""
    async with uow:
        event = await load_event(uow, actor, event_id, lock=True)
        _ensure_department(actor, event)
        event.record_minutes(minutes_md)
        await uow.association_events.save(event)
        await uow.commit()
    return event


async def get_event(uow: CalendarUnitOfWork, *, actor: Principal, event_id: uuid.UUID) -> Event:
    async with uow:
        return await load_event(uow, actor, event_id)


async def search_events(
    uow: CalendarUnitOfWork, *, actor: Principal, states: list[EventState] | None, limit: int, offset: int
) -> tuple[list[Event], int]:
    async with uow:
        return await uow.association_events.search(
            drafts_of=actor.department if actor.role is Role.STAFF else None, all_drafts=actor.role is Role.ADMIN,
            states=states, limit=limit, offset=offset,
        )  # fmt: skip
