"""iCalendar feeds of the public schedule, whole or per category, for calendar apps to subscribe to."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from calendar_service.domain.annual_clock import Category
from calendar_service.entrypoints.http import ical
from calendar_service.entrypoints.http.deps import Now, Uow
from calendar_service.service_layer import feed_links, schedule
from shared.auth import ANONYMOUS
from shared.http.idempotency import Idempotent
from shared.http.security import SignedIn
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


class FeedLinkRead(BaseModel):
    association_id: uuid.UUID
    url: str = Field(description="The feed's address below this API; keep it secret, revoke it when it leaks.")


def _key(request: Request) -> str:
    return str(request.app.state.settings.feed_signing_key)


def _link(association_id: uuid.UUID) -> Callable[[str], FeedLinkRead]:
    def link(token: str) -> FeedLinkRead:
        return FeedLinkRead(
            association_id=association_id, url=f"/associations/{association_id}/schedule.ics?token={token}"
        )

    return link


@router.post("/associations/{association_id}/feed-link", response_model=FeedLinkRead)
async def get_link(
    association_id: uuid.UUID, request: Request, uow: Uow, actor: SignedIn, idem: Idempotent
) -> JSONResponse:
    """The association's own feed link (the same one until revoked)."""
    key = _key(request)
    return await idem.run(
        uow,
        lambda: feed_links.feed_link(uow, actor=actor, association_id=association_id, key=key),
        _link(association_id),
    )


@router.post("/associations/{association_id}/feed-link/revoke", response_model=FeedLinkRead)
async def revoke_link(
    association_id: uuid.UUID, request: Request, uow: Uow, actor: SignedIn, idem: Idempotent
) -> JSONResponse:
    """Stop every earlier link at once; answers the new one."""
    key = _key(request)
    return await idem.run(
        uow,
        lambda: feed_links.revoke_feed_link(uow, actor=actor, association_id=association_id, key=key),
        _link(association_id),
    )


@router.get("/associations/{association_id}/schedule.ics", response_class=Response, responses=ICS)
async def association_feed(
    association_id: uuid.UUID,
    request: Request,
    uow: Uow,
    now: Now,
    token: Annotated[str, Query(min_length=1, max_length=100)],
) -> Response:
    """The public schedule with the association's own deadlines, read with its signed link alone."""
    entries = await feed_links.association_feed(
        uow, association_id=association_id, token=token, key=_key(request), today=local_date(now)
    )
    return Response(ical.calendar_of(entries, name="Yhdistyksen aikataulu", now=now), media_type=ical.MEDIA_TYPE)
