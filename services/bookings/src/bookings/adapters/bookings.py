"""Bookings and their occurrences. The exclusion constraint refuses an overlap; this module names the slot."""

from __future__ import annotations

import functools
import re
import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import Select, TextClause, and_, bindparam, func, insert, or_, select, text, update
from sqlalchemy.exc import IntegrityError

from bookings.adapters.tables import booking, occurrence
from bookings.domain.booking import Booking, BookingKind, BookingState, Occurrence
from bookings.domain.pricing import FreeUseReason
from shared.db.repository import Repository, dicts
from shared.errors import Conflict
from shared.localtime import HELSINKI, as_local

OVERLAP = "ex_occurrence_no_overlap"
# Spans at several facilities (arrays: facility, start, until), each joined to the active occurrences holding
# part of it through the exclusion constraint's GiST index.
TAKEN_AMONG = text("""
SELECT s.idx, o.starts_at, o.ends_at, o.blocked_until
FROM unnest(CAST(:f AS uuid[]), CAST(:s AS timestamptz[]), CAST(:u AS timestamptz[]))
     WITH ORDINALITY AS s(facility_id, starts_at, until, idx)
JOIN occurrence AS o ON o.facility_id = s.facility_id AND o.active
     AND tstzrange(o.starts_at, o.blocked_until) && tstzrange(s.starts_at, s.until)
ORDER BY s.idx, o.starts_at
""")


class SlotTaken(Conflict):
    """An active occurrence of the facility already holds (part of) this time."""

    def __init__(self, starts_at: datetime, ends_at: datetime) -> None:
        s, e = as_local(starts_at), as_local(ends_at)
        super().__init__(
            f"The facility is already booked {s:%Y-%m-%d %H:%M}–{e:%H:%M} (Helsinki time), buffer included.",
            field="starts_at",
        )
        self.starts_at, self.ends_at = starts_at, ends_at


_EXISTING_RANGE = re.compile(r'conflicts with existing key .*?\["?([^",]+)"?,"?([^")]+)"?\)')


def _reported_clash(exc: IntegrityError) -> Conflict:
    """The existing occurrence's time (buffer included) from PostgreSQL's exclusion violation detail."""
    detail = str(getattr(getattr(exc.orig, "__cause__", None), "detail", None) or "")
    if (found := _EXISTING_RANGE.search(detail)) is not None:
        try:
            return SlotTaken(datetime.fromisoformat(found[1]), datetime.fromisoformat(found[2]))
        except ValueError:
            pass
    return Conflict("The facility is already booked at this time.", field="starts_at")


class BookingRepository(Repository[Booking]):
    table, model = booking, Booking
    enums: ClassVar[dict[str, Any]] = {"kind": BookingKind, "state": BookingState, "free_use_reason": FreeUseReason}

    async def search(
        self,
        *,
        facility_id: uuid.UUID | None,
        department_code: str | None,
        applicant_ids: set[uuid.UUID] | None,
        limit: int,
        offset: int,
    ) -> tuple[list[Booking], int]:
        t = self.table
        query = select(t)
        if facility_id is not None:
            query = query.where(t.c.facility_id == facility_id)
        if department_code is not None:
            query = query.where(t.c.department_code == department_code)
        if applicant_ids is not None:
            query = query.where(t.c.applicant_id.in_(applicant_ids))
        return await self._page(query, [t.c.created_at.desc(), t.c.id], limit, offset)

    async def current(
        self,
        since: datetime,
        *,
        facility_id: uuid.UUID | None = None,
        applicant_id: uuid.UUID | None = None,
        limit: int,
    ) -> list[Booking]:
        """Requested and confirmed bookings (of a facility, or an association) with an active occurrence ending
        after ``since``."""
        t, o = self.table, occurrence
        current = select(o.c.id).where(o.c.booking_id == t.c.id, o.c.active, o.c.ends_at > since).exists()
        query = select(t).where(t.c.state.in_(["requested", "confirmed"]), current)
        if facility_id is not None:
            query = query.where(t.c.facility_id == facility_id)
        if applicant_id is not None:
            query = query.where(t.c.applicant_id == applicant_id)
        return await self._all(query.order_by(t.c.first_day.nulls_last(), t.c.created_at, t.c.id).limit(limit))

    async def add_all(self, items: Sequence[Booking]) -> None:
        """Insert several bookings in one statement (their ``created_at`` stays the database's, unread)."""
        if items:
            await self.session.execute(insert(self.table), [self._to_row(b) for b in items])

    async def lock_quota(self, facility_id: uuid.UUID, applicant_id: uuid.UUID) -> None:
        """Requests of one association for one facility take turns, so the weekly quota holds under races."""
        await self.session.execute(_quota_lock(), {"k": f"{facility_id}:{applicant_id}"})


class OccurrenceRepository(Repository[Occurrence]):
    table, model = occurrence, Occurrence

    async def add_all(self, items: Sequence[Occurrence], *, recoverable: bool = True) -> None:
        """Insert the occurrences; one overlapping an active one is refused by the database, named here.

        ``recoverable=False`` is for a caller whose transaction ends on any error (a booking request): the
        insert then runs without a savepoint (two round trips fewer), and the clash is named from the
        database's report of the existing key, since the aborted transaction can no longer be queried."""
        rows = [self._to_row(o) for o in items]
        if not recoverable:
            try:
                await self.session.execute(insert(self.table), rows)
            except IntegrityError as exc:
                if OVERLAP not in str(exc.orig):
                    raise
                raise _reported_clash(exc) from exc
            return
        try:
            async with self.session.begin_nested():
                await self.session.execute(insert(self.table), rows)
        except IntegrityError as exc:
            if OVERLAP not in str(exc.orig):
                raise
            raise await self._taken_error(items) from exc

    async def _taken_error(self, items: Sequence[Occurrence]) -> Conflict:
        taken = await self.taken_any(items[0].facility_id, [(i.starts_at, i.blocked_until) for i in items])
        if taken:
            return SlotTaken(taken[0].starts_at, taken[0].ends_at)
        return Conflict("The facility is already booked at this time.", field="starts_at")

    async def taken_any(self, facility_id: uuid.UUID, spans: Sequence[tuple[datetime, datetime]]) -> list[Occurrence]:
        """In one query: the active occurrences holding any part of any span (buffers included), by start."""
        if not spans:
            return []
        t = self.table
        held = func.tstzrange(t.c.starts_at, t.c.blocked_until)
        query = (
            select(t)
            .where(
                t.c.facility_id == facility_id,
                t.c.active,
                or_(*(held.op("&&")(func.tstzrange(s, u)) for s, u in spans)),
            )
            .order_by(t.c.starts_at)
        )
        return await self._all(query)

    async def taken_among(
        self, spans: Sequence[tuple[uuid.UUID, datetime, datetime]]
    ) -> dict[int, list[tuple[datetime, datetime, datetime]]]:
        """In one query for spans at several facilities: per span (its index) the active occurrences holding any
        part of it, as (start, end, blocked-until) by start; each span is looked up in the exclusion index."""
        found: dict[int, list[tuple[datetime, datetime, datetime]]] = {}
        if not spans:
            return found
        facilities, starts, untils = (list(column) for column in zip(*spans, strict=True))
        rows = await self.session.execute(TAKEN_AMONG, {"f": facilities, "s": starts, "u": untils})
        for index, starts_at, ends_at, blocked_until in rows:
            found.setdefault(index - 1, []).append((starts_at, ends_at, blocked_until))
        return found

    async def minutes_by_week(
        self, facility_ids: set[uuid.UUID], applicant_ids: set[uuid.UUID], starts_at: datetime, ends_at: datetime
    ) -> dict[tuple[uuid.UUID, uuid.UUID], dict[date, int]]:
        """``minutes_of_applicant`` for several facilities and associations at once, per local week (its Monday)
        of the occurrences starting between the two moments."""
        found: dict[tuple[uuid.UUID, uuid.UUID], dict[date, int]] = {}
        if not facility_ids or not applicant_ids:
            return found
        t, b = self.table, booking
        week = func.date_trunc("week", func.timezone(HELSINKI.key, t.c.starts_at))
        minutes = func.sum(func.extract("epoch", t.c.ends_at - t.c.starts_at) / 60)
        query = (
            select(t.c.facility_id, b.c.applicant_id, week, minutes)
            .select_from(t.join(b, b.c.id == t.c.booking_id))
            .where(
                t.c.facility_id.in_(facility_ids),
                b.c.applicant_id.in_(applicant_ids),
                t.c.active,
                t.c.starts_at >= starts_at,
                t.c.starts_at < ends_at,
            )
            .group_by(t.c.facility_id, b.c.applicant_id, week)
        )
        for facility_id, applicant_id, monday, total in await self.session.execute(query):
            found.setdefault((facility_id, applicant_id), {})[monday.date()] = int(total)
        return found

    async def taken(
        self, facility_id: uuid.UUID, starts_at: datetime, until: datetime, *, limit: int | None = None
    ) -> list[Occurrence]:
        """The active occurrences holding any of ``starts_at``–``until`` (their buffers included)."""
        params = {"facility_id": facility_id, "starts_at": starts_at, "until": until}
        rows = await self.session.execute(_taken(limit or None), params)
        return self._from_rows(rows)

    async def of_booking(self, booking_id: uuid.UUID) -> list[Occurrence]:
        t = self.table
        return await self._all(select(t).where(t.c.booking_id == booking_id).order_by(t.c.starts_at))

    async def of_bookings(self, booking_ids: set[uuid.UUID]) -> dict[uuid.UUID, list[Occurrence]]:
        found: dict[uuid.UUID, list[Occurrence]] = {b: [] for b in booking_ids}
        if not booking_ids:
            return found
        t = self.table
        for o in await self._all(select(t).where(t.c.booking_id.in_(booking_ids)).order_by(t.c.starts_at)):
            found[o.booking_id].append(o)
        return found

    async def deactivate(self, booking_id: uuid.UUID) -> None:
        t = self.table
        await self.session.execute(update(t).where(t.c.booking_id == booking_id).values(active=False))

    async def minutes_of_applicant(
        self, facility_id: uuid.UUID, applicant_id: uuid.UUID, starts_at: datetime, ends_at: datetime
    ) -> int:
        """Active minutes the association holds at the facility between two moments (for the weekly quota)."""
        t, b = self.table, booking
        minutes = func.coalesce(func.sum(func.extract("epoch", t.c.ends_at - t.c.starts_at) / 60), 0)
        query = (
            select(minutes)
            .select_from(t.join(b, b.c.id == t.c.booking_id))
            .where(
                t.c.facility_id == facility_id,
                b.c.applicant_id == applicant_id,
                t.c.active,
                t.c.starts_at >= starts_at,
                t.c.starts_at < ends_at,
            )
        )
        return int(await self.session.scalar(query) or 0)

    async def in_period(self, facility_id: uuid.UUID, starts_at: datetime, ends_at: datetime) -> list[dict[str, Any]]:
        """Active occurrences overlapping a period, with their booking's kind, state and booker."""
        params = {"facility_id": facility_id, "starts_at": starts_at, "ends_at": ends_at}
        return dicts(await self.session.execute(_in_period(), params))


# -- statements built once (shared.db.statements) ----------------------------------------------------------------
@functools.cache
def _quota_lock() -> TextClause:
    return text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 1))")


@functools.cache
def _taken(limit: int | None) -> Select[Any]:
    t = occurrence
    held = func.tstzrange(t.c.starts_at, t.c.blocked_until)
    query = (
        select(t)
        .where(
            t.c.facility_id == bindparam("facility_id"),
            t.c.active,
            held.op("&&")(func.tstzrange(bindparam("starts_at"), bindparam("until"))),
        )
        .order_by(t.c.starts_at)
    )
    return query.limit(limit) if limit else query


@functools.cache
def _in_period() -> Select[Any]:
    t, b = occurrence, booking
    return (
        select(t, b.c.kind, b.c.state, b.c.applicant_id)
        .select_from(t.join(b, b.c.id == t.c.booking_id))
        .where(
            t.c.facility_id == bindparam("facility_id"),
            t.c.active,
            and_(t.c.starts_at < bindparam("ends_at"), t.c.blocked_until > bindparam("starts_at")),
        )
        .order_by(t.c.starts_at)
    )
