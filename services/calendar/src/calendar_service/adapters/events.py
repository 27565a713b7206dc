"""Repositories of events for associations and their registrations.

The seat count moves only inside ``lock`` (``SELECT ... FOR UPDATE`` on the event's row): registrations and
cancellations of one event take turns, so first come is first served and the line moves exactly once per
cancellation. The database's check keeps the count within the capacity whatever the code does.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from typing import Any, ClassVar, cast

from sqlalchemy import ColumnElement, CursorResult, delete, func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from calendar_service.adapters.tables import calendar_event, feed_link, registration
from calendar_service.domain.annual_clock import Audience
from calendar_service.domain.event import VISIBLE, Event, EventState
from calendar_service.domain.registration import Registration, RegistrationState
from shared.contracts.calendar import EventKind
from shared.db import Session
from shared.db.repository import Repository
from shared.messaging.tables import idempotency_table


class EventRepository(Repository[Event]):
    table, model = calendar_event, Event
    enums: ClassVar[dict[str, Any]] = {"kind": EventKind, "state": EventState, "audience": Audience}

    async def lock(self, event_id: uuid.UUID) -> Event | None:
        return await self.get(event_id, for_update=True)

    async def search(
        self, *, drafts_of: str | None, all_drafts: bool, states: Collection[EventState] | None, limit: int, offset: int
    ) -> tuple[list[Event], int]:
        """Visible events (and the drafts of ``drafts_of``'s department, or all for admins), soonest first."""
        t = self.table
        seen: ColumnElement[bool] = t.c.state.in_([s.value for s in VISIBLE])
        if all_drafts:
            seen = t.c.state.is_not(None)
        elif drafts_of is not None:
            seen = or_(seen, t.c.department_code == drafts_of)
        query = select(t).where(seen)
        if states:
            query = query.where(t.c.state.in_([s.value for s in states]))
        return await self._page(query, [t.c.starts_at, t.c.id], limit, offset)


class RegistrationRepository(Repository[Registration]):
    table, model = registration, Registration
    enums: ClassVar[dict[str, Any]] = {"state": RegistrationState}
    unique_violations: ClassVar[dict[str, tuple[str, str]]] = {
        "uq_registration_event_association": (
            "association_id",
            "The association is already registered for this event; cancel that registration to make a new one.",
        )
    }

    async def add(self, obj: Registration) -> None:
        """Insert; the database numbers the arrival (``queue_number``)."""
        row = {k: v for k, v in self._to_row(obj).items() if k != "queue_number"}
        statement = insert(self.table).values(row).returning(self.table.c.queue_number, self.table.c.created_at)
        written = await self._write(statement)
        obj.queue_number, obj.created_at = written["queue_number"], written["created_at"]

    async def save(self, obj: Registration) -> None:
        t = self.table
        values = {k: v for k, v in self._to_row(obj).items() if k not in ("id", "queue_number")}
        await self.session.execute(update(t).where(t.c.id == obj.id).values(**values, updated_at=func.now()))

    async def waiting(self, event_id: uuid.UUID) -> list[Registration]:
        t = self.table
        query = select(t).where(t.c.event_id == event_id, t.c.state == RegistrationState.WAITLISTED.value)
        return await self._all(query.order_by(t.c.queue_number))

    async def waiting_before(self, event_id: uuid.UUID, queue_number: int) -> int:
        t = self.table
        query = select(func.count()).where(
            t.c.event_id == event_id, t.c.state == RegistrationState.WAITLISTED.value, t.c.queue_number < queue_number
        )
        return int((await self.session.execute(query)).scalar_one())

    async def of_event(self, event_id: uuid.UUID, *, limit: int, offset: int) -> tuple[list[Registration], int]:
        t = self.table
        return await self._page(select(t).where(t.c.event_id == event_id), [t.c.queue_number], limit, offset)

    async def of_associations(
        self, association_ids: Collection[uuid.UUID], *, limit: int, offset: int
    ) -> tuple[list[Registration], int]:
        t = self.table
        query = select(t).where(t.c.association_id.in_(association_ids))
        return await self._page(query, [t.c.queue_number], limit, offset)

    async def confirmed_of_event(self, event_id: uuid.UUID) -> list[uuid.UUID]:
        """The ids of the event's confirmed registrations, in the order of arrival."""
        t = self.table
        query = select(t.c.id).where(t.c.event_id == event_id, t.c.state == RegistrationState.CONFIRMED.value)
        return list((await self.session.execute(query.order_by(t.c.queue_number))).scalars())

    async def with_email(self, email: str) -> list[Registration]:
        t = self.table
        query = select(t).where(func.lower(t.c.contact_email) == email.strip().lower())
        return await self._all(query.order_by(t.c.queue_number))

    async def confirmed_totals(self, event_ids: set[uuid.UUID]) -> dict[uuid.UUID, tuple[int, int]]:
        """Per event: how many confirmed registrations, and their participants (events without any are absent)."""
        if not event_ids:
            return {}
        t = self.table
        query = (
            select(t.c.event_id, func.count(), func.sum(t.c.participants))
            .where(t.c.event_id.in_(event_ids), t.c.state == RegistrationState.CONFIRMED.value)
            .group_by(t.c.event_id)
        )
        return {row[0]: (int(row[1]), int(row[2])) for row in await self.session.execute(query)}

    async def confirmed_participants(self, event_id: uuid.UUID) -> int:
        t = self.table
        query = select(func.coalesce(func.sum(t.c.participants), 0)).where(
            t.c.event_id == event_id, t.c.state == RegistrationState.CONFIRMED.value
        )
        return int((await self.session.execute(query)).scalar_one())


class StoredReplyRepository:
    """Idempotent replies stored for retries: those describing a registration hold its contact."""

    def __init__(self, session: Session) -> None:
        self.session = session

    async def forget(self, *, resource_ids: Collection[uuid.UUID]) -> int:
        if not resource_ids:
            return 0
        table = idempotency_table()
        result = await self.session.execute(delete(table).where(table.c.resource_id.in_(resource_ids)))
        return cast("CursorResult[Any]", result).rowcount or 0


class FeedLinkRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    async def generation(self, association_id: uuid.UUID) -> int | None:
        query = select(feed_link.c.generation).where(feed_link.c.association_id == association_id)
        return (await self.session.execute(query)).scalar_one_or_none()

    async def current(self, association_id: uuid.UUID) -> int:
        """The link's generation, making the first one when the association has none yet."""
        statement = pg_insert(feed_link).values(association_id=association_id).on_conflict_do_nothing()
        await self.session.execute(statement)
        return int(await self.generation(association_id) or 1)

    async def revoke(self, association_id: uuid.UUID) -> int:
        t = feed_link
        statement = (
            pg_insert(t)
            .values(association_id=association_id, generation=2)
            .on_conflict_do_update(
                index_elements=[t.c.association_id], set_={"generation": t.c.generation + 1, "updated_at": func.now()}
            )
            .returning(t.c.generation)
        )
        return int((await self.session.execute(statement)).scalar_one())
