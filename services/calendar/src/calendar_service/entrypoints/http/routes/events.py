"""/events: events for associations; the organising department's staff plan and publish them, everyone reads
them once published (a draft is its department's own)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from calendar_service.domain.event import Event, EventState
from calendar_service.entrypoints.http.deps import Now, Uow
from calendar_service.entrypoints.http.event_schemas import (
    EventCreate,
    EventRead,
    EventUpdate,
    Materials,
    Minutes,
    Postponement,
)
from calendar_service.entrypoints.http.markdown import safe_html
from calendar_service.service_layer import events
from shared.http.idempotency import Idempotent
from shared.http.pagination import Page, Paging
from shared.http.security import CurrentPrincipal, Staff

router = APIRouter(tags=["events"])


DERIVED = frozenset({"seats_left", "agenda_html", "minutes_html"})


def read_event(event: Event) -> EventRead:
    fields = {name: getattr(event, name) for name in EventRead.model_fields if name not in DERIVED}
    derived = {
        "seats_left": event.seats_left(),
        "agenda_html": safe_html(event.agenda_md),
        "minutes_html": safe_html(event.minutes_md),
    }
    return EventRead.model_validate(fields | derived)


@router.post("/events", status_code=201, response_model=EventRead)
async def create(body: EventCreate, uow: Uow, actor: Staff, idem: Idempotent) -> JSONResponse:
    """A draft event, seen only by its department until published."""
    fields = body.model_dump()  # with the defaults: a new record has every field
    return await idem.created(uow, lambda: events.create_event(uow, actor=actor, fields=fields), read_event)


@router.get("/events", response_model=Page[EventRead])
async def search(
    uow: Uow, actor: CurrentPrincipal, paging: Paging, state: Annotated[list[EventState] | None, Query()] = None
) -> Page[EventRead]:
    items, total = await events.search_events(uow, actor=actor, states=state, limit=paging.limit, offset=paging.offset)
    return Page(items=[read_event(e) for e in items], total=total, limit=paging.limit, offset=paging.offset)


@router.get("/events/{event_id}", response_model=EventRead)
async def get(event_id: uuid.UUID, uow: Uow, actor: CurrentPrincipal) -> EventRead:
    return read_event(await events.get_event(uow, actor=actor, event_id=event_id))


@router.patch("/events/{event_id}", response_model=EventRead)
async def update(event_id: uuid.UUID, body: EventUpdate, uow: Uow, actor: Staff) -> EventRead:
    return read_event(await events.update_event(uow, actor=actor, event_id=event_id, changes=body.fields()))


@router.post("/events/{event_id}/publish", response_model=EventRead)
async def publish(event_id: uuid.UUID, uow: Uow, actor: Staff, idem: Idempotent) -> JSONResponse:
    """Put the event on the schedule and open it for registration as announced (``EventScheduled``)."""
    return await idem.run(uow, lambda: events.publish_event(uow, actor=actor, event_id=event_id), read_event)


@router.post("/events/{event_id}/postpone", response_model=EventRead)
async def postpone(event_id: uuid.UUID, body: Postponement, uow: Uow, actor: Staff, idem: Idempotent) -> JSONResponse:
    """Move a published event to a later time; its registrations stay, its deadlines move with it."""
    return await idem.run(
        uow,
        lambda: events.postpone_event(
            uow, actor=actor, event_id=event_id, starts_at=body.starts_at, ends_at=body.ends_at
        ),
        read_event,
    )


@router.post("/events/{event_id}/cancel", response_model=EventRead)
async def cancel(event_id: uuid.UUID, uow: Uow, actor: Staff, idem: Idempotent) -> JSONResponse:
    return await idem.run(uow, lambda: events.cancel_event(uow, actor=actor, event_id=event_id), read_event)


@router.post("/events/{event_id}/held", response_model=EventRead)
async def held(event_id: uuid.UUID, uow: Uow, actor: Staff, now: Now, idem: Idempotent) -> JSONResponse:
    """Record that the event took place; its materials can then be published."""
    return await idem.run(uow, lambda: events.mark_held(uow, actor=actor, event_id=event_id, now=now), read_event)


@router.put("/events/{event_id}/materials", response_model=EventRead)
async def materials(event_id: uuid.UUID, body: Materials, uow: Uow, actor: Staff) -> EventRead:
    items = [m.model_dump() for m in body.materials]
    return read_event(await events.publish_materials(uow, actor=actor, event_id=event_id, materials=items))


@router.put("/events/{event_id}/minutes", response_model=EventRead)
async def minutes(event_id: uuid.UUID, body: Minutes, uow: Uow, actor: Staff) -> EventRead:
    """A cooperation group meeting's minutes (Markdown), also after the meeting."""
    return read_event(await events.record_minutes(uow, actor=actor, event_id=event_id, minutes_md=body.minutes_md))
