"""The city's facilities the calendar knows (from bookings' events), for placing an event in one."""

from __future__ import annotations

from calendar_service.adapters.repository import FacilityCopy
from calendar_service.service_layer.unit_of_work import CalendarUnitOfWork


async def search_facilities(uow: CalendarUnitOfWork, *, limit: int, offset: int) -> tuple[list[FacilityCopy], int]:
    async with uow:
        return await uow.facilities.search(limit=limit, offset=offset)
