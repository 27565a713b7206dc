"""Use cases of the annual clock: staff keep its entries, everyone reads the active ones."""

from __future__ import annotations

import uuid
from typing import Any

from calendar_service.domain.annual_clock import Category, ClockEntry
from calendar_service.service_layer.access import ensure_keeps
from calendar_service.service_layer.unit_of_work import CalendarUnitOfWork
from shared.auth import Principal
from shared.errors import NotFound


async def create_entry(uow: CalendarUnitOfWork, *, actor: Principal, fields: dict[str, Any]) -> ClockEntry:
    entry = ClockEntry(id=uuid.uuid4(), **fields)
    entry.validate()
    ensure_keeps(actor, entry.responsible_department)
    async with uow:
        await uow.clock_entries.add(entry)
        await uow.commit()
    return entry


async def _entry(uow: CalendarUnitOfWork, actor: Principal, entry_id: uuid.UUID) -> ClockEntry:
    entry = await uow.clock_entries.get(entry_id, for_update=True)
    if entry is None or (not entry.active and not actor.is_staff_or_admin):
        raise NotFound("No such entry in the annual clock.", field="entry_id")
    return entry


async def update_entry(
    uow: CalendarUnitOfWork, *, actor: Principal, entry_id: uuid.UUID, changes: dict[str, Any]
) -> ClockEntry:
    """Change an entry; moving it to another department needs the right to keep it there too."""
    async with uow:
        entry = await _entry(uow, actor, entry_id)
        ensure_keeps(actor, entry.responsible_department)
        for name, value in changes.items():
            setattr(entry, name, value)
        ensure_keeps(actor, entry.responsible_department)
        entry.validate()
        await uow.clock_entries.save(entry)
        await uow.commit()
    return entry


async def get_entry(uow: CalendarUnitOfWork, *, actor: Principal, entry_id: uuid.UUID) -> ClockEntry:
    async with uow:
        return await _entry(uow, actor, entry_id)


async def search_entries(
    uow: CalendarUnitOfWork,
    *,
    actor: Principal,
    category: Category | None = None,
    include_inactive: bool = False,
    limit: int,
    offset: int,
) -> tuple[list[ClockEntry], int]:
    """The clock's entries through the year; retired ones only for staff who ask for them."""
    async with uow:
        return await uow.clock_entries.search(
            active_only=not (include_inactive and actor.is_staff_or_admin), category=category, limit=limit,
            offset=offset,
        )  # fmt: skip
