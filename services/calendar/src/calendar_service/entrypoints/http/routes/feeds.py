"""iCalendar feeds of the public schedule, whole or per category, for calendar apps to subscribe to."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from calendar_service.domain.annual_clock import Category
from calendar_service.entrypoints.http import ical
from calendar_service.entrypoints.http.deps import Now, Uow
from calendar_service.service_layer import schedule
from shared.auth import ANONYMOUS
from shared.localtime import local_date

router = APIRouter(tags=["feeds"])
ICS: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/calendar": {"schema": {"type": "string"}}}, "description": "An iCalendar feed."}
}


@router.get("/schedule.ics", response_class=Response, responses=ICS)
async def public_feed(uow: Uow, now: Now) -> Response:
    """The whole public schedule (subscribe to this address in a calendar app)."""
    entries = await schedule.feed(uow, actor=ANONYMOUS, today=local_date(now))
    body = ical.calendar_of(entries, name="Porin yhdistysyhteistyön aikataulu", now=now)
    return Response(body, media_type=ical.MEDIA_TYPE)


@router.get("/schedule/{category}.ics", response_class=Response, responses=ICS)
async def category_feed(category: Category, uow: Uow, now: Now) -> Response:
    """One category of the public schedule, e.g. ``grant_application.ics``."""
    entries = await schedule.feed(uow, actor=ANONYMOUS, today=local_date(now), category=category)
    body = ical.calendar_of(entries, name=f"Porin yhdistysyhteistyö: {category.value}", now=now)
    return Response(body, media_type=ical.MEDIA_TYPE)
