"""iCalendar feeds of bookings: each facility's public one, and an association's private one behind a link."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from bookings.domain.feed import CalendarFeed
from bookings.entrypoints.http import ical
from bookings.entrypoints.http.deps import Now, Uow
from bookings.entrypoints.http.schemas import FeedCreate, FeedRead
from bookings.service_layer import feeds
from shared.http.idempotency import Idempotent
from shared.http.security import SignedIn

router = APIRouter(tags=["feeds"])
ICS: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/calendar": {"schema": {"type": "string"}}}, "description": "An iCalendar feed."}
}


def _secret(request: Request) -> str:
    return str(request.app.state.settings.feed_secret)


def _read(secret: str) -> Any:
    def read(feed: CalendarFeed) -> FeedRead:
        return FeedRead(
            id=feed.id,
            applicant_id=feed.applicant_id,
            url=f"/feeds/{feed.token(secret)}/bookings.ics",
            revoked=feed.revoked_at is not None,
        )

    return read


@router.get("/facilities/{facility_id}/bookings.ics", response_class=Response, responses=ICS)
async def facility_bookings_feed(facility_id: uuid.UUID, uow: Uow, now: Now) -> Response:
    """The time the facility's bookings take, public and without who booked it (subscribe in a calendar app)."""
    feed = await feeds.facility_feed(uow, facility_id=facility_id, now=now)
    return Response(ical.calendar_of(feed, now=now), media_type=ical.MEDIA_TYPE)


@router.post("/feeds", status_code=201, response_model=FeedRead)
async def create_feed(body: FeedCreate, request: Request, uow: Uow, actor: SignedIn, idem: Idempotent) -> JSONResponse:
    """A private link to the association's own bookings, for its calendar app; keep it secret, revoke it when
    it leaks."""
    return await idem.created(
        uow, lambda: feeds.create_feed(uow, actor=actor, applicant_id=body.applicant_id), _read(_secret(request))
    )


@router.post("/feeds/{feed_id}/revoke", response_model=FeedRead)
async def revoke_feed(
    feed_id: uuid.UUID, request: Request, uow: Uow, actor: SignedIn, now: Now, idem: Idempotent
) -> JSONResponse:
    """The link stops working at once."""
    return await idem.run(
        uow, lambda: feeds.revoke_feed(uow, actor=actor, feed_id=feed_id, now=now), _read(_secret(request))
    )


@router.get("/feeds/{token}/bookings.ics", response_class=Response, responses=ICS)
async def association_bookings_feed(token: str, request: Request, uow: Uow, now: Now) -> Response:
    """The association's own bookings; the link is the only key, and a revoked one answers 404."""
    feed = await feeds.association_feed(uow, token=token, secret=_secret(request), now=now)
    return Response(ical.calendar_of(feed, now=now, private=True), media_type=ical.MEDIA_TYPE)
