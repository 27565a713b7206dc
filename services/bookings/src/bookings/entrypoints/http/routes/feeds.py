"""iCalendar feeds of the facilities' bookings, for calendar apps to subscribe to."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Response

from bookings.entrypoints.http import ical
from bookings.entrypoints.http.deps import Now, Uow
from bookings.service_layer.feeds import facility_feed

router = APIRouter(tags=["feeds"])
ICS: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/calendar": {"schema": {"type": "string"}}}, "description": "An iCalendar feed."}
}


@router.get("/facilities/{facility_id}/bookings.ics", response_class=Response, responses=ICS)
async def facility_bookings_feed(facility_id: uuid.UUID, uow: Uow, now: Now) -> Response:
    """The time the facility's bookings take, public and without who booked it (subscribe in a calendar app)."""
    feed = await facility_feed(uow, facility_id=facility_id, now=now)
    return Response(ical.facility_calendar(feed, now=now), media_type=ical.MEDIA_TYPE)
