"""/partnership-calls and /partnerships: partnership agreements (kumppanuussopimukset) and their yearly
discussions. Agreements in force are public; proposals, preparation and discussions are the parties' own."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from grants.domain.partnership import Agreement, AgreementState, PartnershipCall
from grants.entrypoints.http.deps import Now, Uow
from grants.entrypoints.http.schemas.common import read
from grants.entrypoints.http.schemas.partnerships import (
    AgreementCreate,
    AgreementRead,
    AgreementSign,
    AgreementUpdate,
    CallCreate,
    CallRead,
    DiscussionRead,
    DiscussionRecord,
    DiscussionUpdate,
    Rejection,
)
from grants.service_layer import partnership_discussions, partnerships
from shared.db.uow import UnitOfWork
from shared.http.idempotency import IdempotencyKey, create_idempotently
from shared.http.pagination import Page, Paging
from shared.http.security import CurrentPrincipal, SignedIn, Staff

router = APIRouter(tags=["partnerships"])
Code = Annotated[str | None, Query(max_length=60)]


def _call(call: PartnershipCall, now: datetime) -> CallRead:
    return read(CallRead, call, is_open=call.accepts_applications(now))


async def _agreements(uow: UnitOfWork, agreements: list[Agreement]) -> list[AgreementRead]:
    names = await partnerships.applicant_names(uow, agreements)
    return [read(AgreementRead, a, applicant_name=names.get(a.applicant_id)) for a in agreements]


# -- calls --------------------------------------------------------------------------------------------------
@router.post("/partnership-calls", status_code=201, response_model=CallRead)
async def announce(
    body: CallCreate, uow: Uow, actor: Staff, now: Now, request: Request, key: IdempotencyKey = None
) -> JSONResponse:
    """Record the city board's call: agreements open for application until ``closes_at``."""

    async def create(u: UnitOfWork) -> tuple[CallRead, uuid.UUID]:
        call = await partnerships.announce_call(u, actor=actor, now=now, fields=body.fields())
        return _call(call, now), call.id

    return await create_idempotently(uow, request=request, key=key, principal=actor, payload=body, create=create)


@router.get("/partnership-calls", response_model=Page[CallRead])
async def calls(
    uow: Uow, now: Now, paging: Paging, department_code: Code = None, open_only: bool = False
) -> Page[CallRead]:
    """Calls are public: what is open for application now, and what was."""
    async with uow:
        items, total = await partnerships.search_calls(
            uow, department_code=department_code, open_at=now if open_only else None,
            limit=paging.limit, offset=paging.offset,
        )  # fmt: skip
    return Page(items=[_call(c, now) for c in items], total=total, limit=paging.limit, offset=paging.offset)


@router.get("/partnership-calls/{call_id}", response_model=CallRead)
async def call(call_id: uuid.UUID, uow: Uow, now: Now) -> CallRead:
    async with uow:
        return _call(await partnerships.get_call(uow, call_id=call_id), now)


# -- agreements ---------------------------------------------------------------------------------------------
@router.post("/partnerships", status_code=201, response_model=AgreementRead)
async def propose(
    body: AgreementCreate, uow: Uow, actor: SignedIn, now: Now, request: Request, key: IdempotencyKey = None
) -> JSONResponse:
    """A proposal: by the association for itself (or applying to a call), or recorded by the department's staff
    (their own initiative or an elected official's)."""

    async def create(u: UnitOfWork) -> tuple[AgreementRead, uuid.UUID]:
        agreement = await partnerships.propose_agreement(u, actor=actor, now=now, fields=body.fields())
        return (await _agreements(u, [agreement]))[0], agreement.id

    return await create_idempotently(uow, request=request, key=key, principal=actor, payload=body, create=create)


@router.get("/partnerships", response_model=Page[AgreementRead])
async def search(
    uow: Uow,
    actor: CurrentPrincipal,
    paging: Paging,
    state: Annotated[list[AgreementState] | None, Query()] = None,
    department_code: Code = None,
    applicant_id: uuid.UUID | None = None,
    call_id: uuid.UUID | None = None,
) -> Page[AgreementRead]:
    """The public register of agreements in force; signed in, also the caller's own in every state."""
    async with uow:
        items, total = await partnerships.search_agreements(
            uow, actor=actor, states=state, department_code=department_code, applicant_id=applicant_id,
            call_id=call_id, limit=paging.limit, offset=paging.offset,
        )  # fmt: skip
        return Page(items=await _agreements(uow, items), total=total, limit=paging.limit, offset=paging.offset)


@router.get("/partnerships/{agreement_id}", response_model=AgreementRead)
async def get(agreement_id: uuid.UUID, uow: Uow, actor: CurrentPrincipal) -> AgreementRead:
    async with uow:
        agreement = await partnerships.get_agreement(uow, actor=actor, agreement_id=agreement_id)
        return (await _agreements(uow, [agreement]))[0]


async def _change(uow: UnitOfWork, use_case: Callable[[UnitOfWork], Awaitable[Agreement]]) -> AgreementRead:
    async with uow:
        agreement = await use_case(uow)
        answer = (await _agreements(uow, [agreement]))[0]
        await uow.commit()
    return answer


@router.patch("/partnerships/{agreement_id}", response_model=AgreementRead)
async def update(agreement_id: uuid.UUID, body: AgreementUpdate, uow: Uow, actor: SignedIn) -> AgreementRead:
    changes = body.fields()
    return await _change(
        uow, lambda u: partnerships.change_agreement(u, actor=actor, agreement_id=agreement_id, changes=changes)
    )


@router.delete("/partnerships/{agreement_id}", status_code=204)
async def withdraw(agreement_id: uuid.UUID, uow: Uow, actor: SignedIn) -> Response:
    """The association withdraws its proposal before the department starts preparing it."""
    async with uow:
        await partnerships.withdraw_proposal(uow, actor=actor, agreement_id=agreement_id)
        await uow.commit()
    return Response(status_code=204)


@router.post("/partnerships/{agreement_id}/prepare", response_model=AgreementRead)
async def prepare(agreement_id: uuid.UUID, uow: Uow, actor: Staff) -> AgreementRead:
    """The department starts preparing the proposal; the association can no longer change it."""
    return await _change(uow, lambda u: partnerships.start_preparation(u, actor=actor, agreement_id=agreement_id))


@router.post("/partnerships/{agreement_id}/approve", response_model=AgreementRead)
async def approve(agreement_id: uuid.UUID, uow: Uow, actor: Staff) -> AgreementRead:
    """The prepared agreement, with its goals and the city's responsible persons, is approved for signing."""
    return await _change(uow, lambda u: partnerships.approve_agreement(u, actor=actor, agreement_id=agreement_id))


@router.post("/partnerships/{agreement_id}/reject", response_model=AgreementRead)
async def reject(agreement_id: uuid.UUID, body: Rejection, uow: Uow, actor: Staff) -> AgreementRead:
    """The proposal is not taken further; the association reads why."""
    return await _change(
        uow, lambda u: partnerships.reject_agreement(u, actor=actor, agreement_id=agreement_id, reason=body.reason)
    )


@router.post("/partnerships/{agreement_id}/sign", response_model=AgreementRead)
async def sign(
    agreement_id: uuid.UUID, uow: Uow, actor: Staff, now: Now, body: AgreementSign | None = None
) -> AgreementRead:
    """Both parties signed: the agreement is in force for its term and published."""
    term = body.fields() if body else {}
    return await _change(
        uow, lambda u: partnerships.sign_agreement(u, actor=actor, agreement_id=agreement_id, now=now, **term)
    )


@router.post("/partnerships/{agreement_id}/end", response_model=AgreementRead)
async def end(agreement_id: uuid.UUID, uow: Uow, actor: Staff, now: Now) -> AgreementRead:
    """End the agreement today, before its term is over; at the term's end it ends by itself."""
    return await _change(uow, lambda u: partnerships.end_agreement(u, actor=actor, agreement_id=agreement_id, now=now))


# -- yearly discussions -------------------------------------------------------------------------------------
@router.get("/partnerships/{agreement_id}/discussions", response_model=list[DiscussionRead])
async def discussions(agreement_id: uuid.UUID, uow: Uow, actor: SignedIn) -> list[DiscussionRead]:
    async with uow:
        found = await partnerships.list_discussions(uow, actor=actor, agreement_id=agreement_id)
    return [read(DiscussionRead, d) for d in found]


@router.post("/partnerships/{agreement_id}/discussions", status_code=201, response_model=DiscussionRead)
async def record(
    agreement_id: uuid.UUID,
    body: DiscussionRecord,
    uow: Uow,
    actor: Staff,
    now: Now,
    request: Request,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Record a yearly partnership discussion as held, with its notes and the actions agreed."""

    async def create(u: UnitOfWork) -> tuple[DiscussionRead, uuid.UUID]:
        held = await partnership_discussions.record_discussion(
            u, actor=actor, agreement_id=agreement_id, now=now, **body.fields()
        )
        return read(DiscussionRead, held), held.id

    return await create_idempotently(uow, request=request, key=key, principal=actor, payload=body, create=create)


@router.get("/partnerships/{agreement_id}/discussions/{discussion_id}", response_model=DiscussionRead)
async def discussion(agreement_id: uuid.UUID, discussion_id: uuid.UUID, uow: Uow, actor: SignedIn) -> DiscussionRead:
    async with uow:
        found = await partnerships.get_discussion(
            uow, actor=actor, agreement_id=agreement_id, discussion_id=discussion_id
        )
    return read(DiscussionRead, found)


@router.patch("/partnerships/{agreement_id}/discussions/{discussion_id}", response_model=DiscussionRead)
async def correct(
    agreement_id: uuid.UUID, discussion_id: uuid.UUID, body: DiscussionUpdate, uow: Uow, actor: Staff, now: Now
) -> DiscussionRead:
    async with uow:
        corrected = await partnership_discussions.correct_discussion(
            uow, actor=actor, agreement_id=agreement_id, discussion_id=discussion_id, now=now, changes=body.fields()
        )
        await uow.commit()
    return read(DiscussionRead, corrected)
