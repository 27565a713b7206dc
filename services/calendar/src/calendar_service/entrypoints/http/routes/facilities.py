"""/facilities: the city's facilities an event may be held in (a copy of bookings'; name and address only)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from pydantic import BaseModel

from calendar_service.entrypoints.http.deps import Uow
from calendar_service.service_layer.facilities import search_facilities
from shared.http.pagination import Page, Paging

router = APIRouter(tags=["facilities"])


class FacilityRead(BaseModel):
    id: uuid.UUID
    name: str
    address: str


@router.get("/facilities", response_model=Page[FacilityRead])
async def search(uow: Uow, paging: Paging) -> Page[FacilityRead]:
    """Public: where the city's events for associations may be held."""
    items, total = await search_facilities(uow, limit=paging.limit, offset=paging.offset)
    return Page(
        items=[FacilityRead(id=f.id, name=f.name or "", address=f.address or "") for f in items],
        total=total, limit=paging.limit, offset=paging.offset,
    )  # fmt: skip
