"""/rounds: grant rounds; the public sees every round past its draft, with the remaining appropriation.

A draft is its department's own: its staff and admins read and list it like any other round (``state=draft``
finds them), the public and other departments are told it does not exist.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from grants.domain.round import Round, RoundState
from grants.entrypoints.http.deps import Now, Uow
from grants.entrypoints.http.schemas.rounds import RoundCreate, RoundRead, RoundUpdate
from grants.service_layer import rounds
from grants.service_layer.rounds import ShownRound
from shared.http.idempotency import Idempotent
from shared.http.pagination import Page, Paging
from shared.http.security import CurrentPrincipal, Staff

router = APIRouter(tags=["rounds"])


def _read(r: Round) -> RoundRead:
    return RoundRead.model_validate(r, from_attributes=True)


def _shown(shown: ShownRound) -> RoundRead:
    read = _read(shown.round)
    return read if shown.money else read.model_copy(update={"reserved_cents": None, "remaining_cents": None})


@router.post("/programmes/{programme_id}/rounds", status_code=201, response_model=RoundRead)
async def create(programme_id: uuid.UUID, body: RoundCreate, uow: Uow, actor: Staff, idem: Idempotent) -> JSONResponse:
    """A draft round, seen only by the department until it is scheduled."""
    fields = body.fields()
    return await idem.created(
        uow, lambda: rounds.create_round(uow, actor=actor, programme_id=programme_id, fields=fields), _read
    )


@router.get("/rounds", response_model=Page[RoundRead])
async def search(
    uow: Uow,
    actor: CurrentPrincipal,
    paging: Paging,
    programme_id: uuid.UUID | None = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    state: Annotated[list[RoundState] | None, Query()] = None,
) -> Page[RoundRead]:
    items, total = await rounds.search_rounds(
        uow, actor=actor, programme_id=programme_id, year=year, states=state, limit=paging.limit,
        offset=paging.offset,
    )  # fmt: skip
    return Page(items=[_shown(r) for r in items], total=total, limit=paging.limit, offset=paging.offset)


@router.get("/rounds/{round_id}", response_model=RoundRead)
async def get(round_id: uuid.UUID, uow: Uow, actor: CurrentPrincipal) -> RoundRead:
    return _shown(await rounds.get_round(uow, actor=actor, round_id=round_id))


@router.patch("/rounds/{round_id}", response_model=RoundRead)
async def update(round_id: uuid.UUID, body: RoundUpdate, uow: Uow, actor: Staff) -> RoundRead:
    return _read(await rounds.update_round(uow, actor=actor, round_id=round_id, changes=body.fields()))


@router.post("/rounds/{round_id}/schedule", response_model=RoundRead)
async def schedule(round_id: uuid.UUID, uow: Uow, actor: Staff, now: Now, idem: Idempotent) -> JSONResponse:
    """Fix the round's dates: it opens and closes by itself, and the schedule shows it."""
    return await idem.run(uow, lambda: rounds.schedule_round(uow, actor=actor, round_id=round_id, now=now), _read)
