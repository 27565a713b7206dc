"""/season-rounds/{id}/…: staff's hand allocation on top of the proposal, its publication, results, declines."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from bookings.domain.season_round import Wish
from bookings.entrypoints.http.deps import Uow
from bookings.entrypoints.http.routes.season_rounds import proposal_read
from bookings.entrypoints.http.season_allocation_schemas import (
    PlaceIn,
    ResultRead,
    ResultsRead,
    WishAssign,
    WishReject,
)
from bookings.entrypoints.http.season_round_schemas import ProposalRead
from bookings.service_layer import season_allocations, season_publishing
from bookings.service_layer.season_allocations import Place
from shared.http.idempotency import Idempotent
from shared.http.security import CurrentPrincipal, SignedIn, Staff

router = APIRouter(tags=["season rounds"])


def _place(body: PlaceIn) -> Place:
    return Place(body.facility_id, body.weekday, Wish.minutes(body.starts), Wish.minutes(body.ends))


@router.post("/season-rounds/{round_id}/allocation/assign", response_model=ProposalRead)
async def assign(round_id: uuid.UUID, body: WishAssign, uow: Uow, actor: Staff, idem: Idempotent) -> JSONResponse:
    """Give a wish a weekly slot by hand: within opening hours, overlapping no slot or confirmed series."""
    place = _place(body)
    return await idem.run(
        uow,
        lambda: season_allocations.assign_wish(uow, actor=actor, round_id=round_id, wish_id=body.wish_id, place=place),
        proposal_read,
    )


@router.post("/season-rounds/{round_id}/slots/{slot_id}/move", response_model=ProposalRead)
async def move(
    round_id: uuid.UUID, slot_id: uuid.UUID, body: PlaceIn, uow: Uow, actor: Staff, idem: Idempotent
) -> JSONResponse:
    """Move an allocated slot to another facility, weekday or time, checked as an assignment is."""
    place = _place(body)
    return await idem.run(
        uow,
        lambda: season_allocations.move_slot(uow, actor=actor, round_id=round_id, slot_id=slot_id, place=place),
        proposal_read,
    )


@router.post("/season-rounds/{round_id}/allocation/reject", response_model=ProposalRead)
async def reject(round_id: uuid.UUID, body: WishReject, uow: Uow, actor: Staff, idem: Idempotent) -> JSONResponse:
    """Turn a wish down with a reason: its slots are freed, the report gives the reason."""
    return await idem.run(
        uow,
        lambda: season_allocations.reject_wish(
            uow, actor=actor, round_id=round_id, wish_id=body.wish_id, reason=body.reason
        ),
        proposal_read,
    )


@router.post("/season-rounds/{round_id}/publish", response_model=ProposalRead)
async def publish(round_id: uuid.UUID, uow: Uow, actor: Staff, idem: Idempotent) -> JSONResponse:
    """Publish the allocation: every slot a confirmed weekly series for the season, all or nothing."""
    return await idem.run(uow, lambda: season_publishing.publish(uow, actor=actor, round_id=round_id), proposal_read)


@router.post("/season-rounds/{round_id}/slots/{slot_id}/decline", response_model=ProposalRead)
async def decline(round_id: uuid.UUID, slot_id: uuid.UUID, uow: Uow, actor: SignedIn, idem: Idempotent) -> JSONResponse:
    """The association gives its published slot back: the series is cancelled and the time freed."""
    return await idem.run(
        uow,
        lambda: season_publishing.decline_slot(uow, actor=actor, round_id=round_id, slot_id=slot_id),
        proposal_read,
    )


@router.get("/season-rounds/{round_id}/results", response_model=ResultsRead)
async def results(round_id: uuid.UUID, uow: Uow, actor: CurrentPrincipal) -> ResultsRead:
    """The published results, public: association, facility, weekday and time of every slot."""
    found = await season_publishing.results(uow, actor=actor, round_id=round_id)
    return ResultsRead(round_id=round_id, results=[ResultRead(**vars(r)) for r in found])
