"""/rounds: grant rounds; the public sees every round past its draft, with the remaining appropriation."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from grants.domain.round import Round, RoundState
from grants.entrypoints.http.deps import Now, Uow
from grants.entrypoints.http.schemas.rounds import RoundCreate, RoundRead, RoundUpdate
from grants.service_layer import rounds
from shared.db.uow import UnitOfWork
from shared.http.idempotency import IdempotencyKey, create_idempotently
from shared.http.pagination import Page, Paging
from shared.http.security import CurrentPrincipal, Staff

router = APIRouter(tags=["rounds"])


def _read(r: Round, *, money: bool = True) -> RoundRead:
    read = RoundRead.model_validate(r, from_attributes=True)
    return read if money else read.model_copy(update={"reserved_cents": None, "remaining_cents": None})


@router.post("/programmes/{programme_id}/rounds", status_code=201, response_model=RoundRead)
async def create(
    programme_id: uuid.UUID, body: RoundCreate, uow: Uow, actor: Staff, request: Request, key: IdempotencyKey = None
) -> JSONResponse:
    """A draft round, seen only by the department until it is scheduled."""

    async def create_(u: UnitOfWork) -> tuple[RoundRead, uuid.UUID]:
        round_ = await rounds.create_round(u, actor=actor, programme_id=programme_id, fields=body.fields())
        return _read(round_), round_.id

    return await create_idempotently(uow, request=request, key=key, principal=actor, payload=body, create=create_)


@router.get("/rounds", response_model=Page[RoundRead])
async def search(
    uow: Uow,
    actor: CurrentPrincipal,
    paging: Paging,
    programme_id: uuid.UUID | None = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    state: Annotated[list[RoundState] | None, Query()] = None,
) -> Page[RoundRead]:
    async with uow:
        items, total = await rounds.search_rounds(
            uow,
            programme_id=programme_id,
            year=year,
            states=[s for s in state or [] if s is not RoundState.DRAFT],
            limit=paging.limit,
            offset=paging.offset,
        )
        visible = await rounds.money_visible_to(uow, actor, items)
    page = [_read(r, money=r.id in visible) for r in items]
    return Page(items=page, total=total, limit=paging.limit, offset=paging.offset)


@router.get("/rounds/{round_id}", response_model=RoundRead)
async def get(round_id: uuid.UUID, uow: Uow, actor: CurrentPrincipal) -> RoundRead:
    async with uow:
        round_ = await rounds.get_round(uow, round_id=round_id)
        return _read(round_, money=round_.id in await rounds.money_visible_to(uow, actor, [round_]))


@router.patch("/rounds/{round_id}", response_model=RoundRead)
async def update(round_id: uuid.UUID, body: RoundUpdate, uow: Uow, actor: Staff) -> RoundRead:
    async with uow:
        round_ = await rounds.update_round(uow, actor=actor, round_id=round_id, changes=body.fields())
        await uow.commit()
    return _read(round_)


@router.post("/rounds/{round_id}/schedule", response_model=RoundRead)
async def schedule(round_id: uuid.UUID, uow: Uow, actor: Staff, now: Now) -> RoundRead:
    """Fix the round's dates: it opens and closes by itself, and the schedule shows it."""
    async with uow:
        round_ = await rounds.schedule_round(uow, actor=actor, round_id=round_id, now=now)
        await uow.commit()
    return _read(round_)
