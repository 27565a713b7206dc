"""Repositories of the annual clock and the schedule."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from sqlalchemy import ColumnElement, and_, delete, exists, false, func, not_, or_, select

from calendar_service.adapters.tables import (
    clock_entry,
    cooperation_group_member,
    facility,
    grant_programme,
    schedule_entry,
)
from calendar_service.domain.annual_clock import Audience, Category, ClockEntry
from calendar_service.domain.cooperation_group import Member, MemberKind
from calendar_service.domain.schedule import EntryState, ScheduleEntry, SourceKind
from shared.copies import CopyRepository
from shared.db.repository import Repository


class ClockEntryRepository(Repository[ClockEntry]):
    table, model = clock_entry, ClockEntry
    enums: ClassVar[dict[str, Any]] = {"category": Category, "audience": Audience}

    async def search(
        self, *, active_only: bool, category: Category | None, limit: int, offset: int
    ) -> tuple[list[ClockEntry], int]:
        t = self.table
        query = select(t)
        if active_only:
            query = query.where(t.c.active)
        if category is not None:
            query = query.where(t.c.category == category.value)
        return await self._page(query, [t.c.month, t.c.day.nulls_first(), t.c.title_fi, t.c.id], limit, offset)

    async def all_active(self) -> list[ClockEntry]:
        return await self._all(select(self.table).where(self.table.c.active).order_by(self.table.c.month))


@dataclass(frozen=True)
class ScheduleQuery:
    year: int | None = None
    category: Category | None = None
    from_date: date | None = None
    # Whose own entries besides the public ones: None for the public; staff see every association's.
    association_ids: frozenset[uuid.UUID] = frozenset()
    everything: bool = False


def _cancelled_issue(t: Any) -> ColumnElement[bool]:
    return and_(t.c.kind == SourceKind.NEWSLETTER.value, t.c.state == EntryState.CANCELLED.value)


class ScheduleRepository(CopyRepository[ScheduleEntry]):
    table, model = schedule_entry, ScheduleEntry
    status_columns = frozenset({"state"})
    enums: ClassVar[dict[str, Any]] = {
        "kind": SourceKind,
        "category": Category,
        "audience": Audience,
        "state": EntryState,
    }

    async def put(self, id_: uuid.UUID, revision: int, values: Mapping[str, Any]) -> bool:
        return await self.put_record(id_, revision, values)

    async def put_state(self, id_: uuid.UUID, revision: int, state: EntryState) -> bool:
        return await self.put_status(id_, revision, {"state": state.value})

    async def remove_planned(self, year: int, keep: set[uuid.UUID]) -> list[ScheduleEntry]:
        """Planned entries of ``year`` whose clock entry is gone or inactive; returns them as they were."""
        t = self.table
        stale = delete(t).where(t.c.kind == SourceKind.CLOCK.value, t.c.year == year)
        if keep:
            stale = stale.where(t.c.id.not_in(keep))
        result = await self.session.execute(stale.returning(*t.c))
        return self._from_rows(result)

    async def planned(self, year: int) -> list[ScheduleEntry]:
        """The clock's planned entries of ``year``."""
        t = self.table
        rows = await self.session.execute(select(t).where(t.c.kind == SourceKind.CLOCK.value, t.c.year == year))
        return self._from_rows(rows)

    def _visible(self, q: ScheduleQuery) -> Any:
        t = self.table
        conditions: list[ColumnElement[bool]] = [t.c.starts_on.is_not(None)]
        if not q.everything:
            mine: ColumnElement[bool] = t.c.association_id.in_(q.association_ids) if q.association_ids else false()
            conditions.append(or_(and_(t.c.association_id.is_(None), t.c.audience != "staff"), mine))
        # A planned entry that a dated one fulfils (a newsletter issue matched to it) is shown by the dated one.
        # A cancelled issue is not shown at all, and fulfils nothing: its planned date is shown again.
        dated = t.alias("dated")
        fulfilled = exists().where(
            dated.c.clock_entry_id == t.c.clock_entry_id, dated.c.year == t.c.year,
            dated.c.kind != SourceKind.CLOCK.value, dated.c.starts_on.is_not(None),
            dated.c.state != EntryState.CANCELLED.value,
        )  # fmt: skip
        conditions.append(or_(t.c.kind != SourceKind.CLOCK.value, not_(fulfilled)))
        conditions.append(not_(_cancelled_issue(t)))
        if q.year is not None:
            conditions.append(t.c.year == q.year)
        if q.category is not None:
            conditions.append(t.c.category == q.category.value)
        if q.from_date is not None:
            conditions.append(t.c.ends_on >= q.from_date)
        return and_(*conditions)

    async def search(self, q: ScheduleQuery, *, limit: int, offset: int) -> tuple[list[ScheduleEntry], int]:
        t = self.table
        query = select(t).where(self._visible(q))
        total = (await self.session.execute(select(func.count()).select_from(t).where(self._visible(q)))).scalar_one()
        rows = await self.session.execute(query.order_by(t.c.starts_on, t.c.kind, t.c.id).limit(limit).offset(offset))
        return self._from_rows(rows), total

    async def of_year(self, year: int) -> list[ScheduleEntry]:
        t = self.table
        rows = await self.session.execute(select(t).where(t.c.year == year, t.c.starts_on.is_not(None)))
        return self._from_rows(rows)


@dataclass
class ProgrammeCopy:
    id: uuid.UUID
    name: str | None
    department_code: str | None
    revision: int = 0


class ProgrammeCopyRepository(CopyRepository[ProgrammeCopy]):
    table, model = grant_programme, ProgrammeCopy


@dataclass
class FacilityCopy:
    """A city facility as bookings announced it: where an event may be held."""

    id: uuid.UUID
    name: str | None
    address: str | None
    department_code: str | None
    revision: int = 0

    @property
    def place(self) -> str:
        return ", ".join(part for part in (self.name, self.address) if part)


class FacilityCopyRepository(CopyRepository[FacilityCopy]):
    table, model = facility, FacilityCopy

    async def search(self, *, limit: int, offset: int) -> tuple[list[FacilityCopy], int]:
        t = self.table
        known = t.c.name.is_not(None)
        total = (await self.session.execute(select(func.count()).select_from(t).where(known))).scalar_one()
        rows = await self.session.execute(select(t).where(known).order_by(t.c.name, t.c.id).limit(limit).offset(offset))
        return self._from_rows(rows), total


class MemberRepository(Repository[Member]):
    table, model = cooperation_group_member, Member
    enums: ClassVar[dict[str, Any]] = {"kind": MemberKind}

    async def search(self, *, active_only: bool, limit: int, offset: int) -> tuple[list[Member], int]:
        t = self.table
        query = select(t).where(t.c.active) if active_only else select(t)
        return await self._page(query, [t.c.kind, t.c.organisation, t.c.id], limit, offset)
