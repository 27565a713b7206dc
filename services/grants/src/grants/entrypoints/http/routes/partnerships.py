"""/partnership-calls and /partnerships: partnership agreements (kumppanuussopimukset) and their yearly
discussions. Agreements in force are public; proposals, preparation and discussions are the parties' own."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse

from grants.domain.partnership import AgreementState, Discussion, PartnershipCall
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
from grants.service_layer.partnerships import ShownAgreement
from shared.http.idempotency import Idempotent
from shared.http.pagination import Page, Paging
from shared.http.security import CurrentPrincipal, SignedIn, Staff

router = APIRouter(tags=["partnerships"])
Code = Annotated[str | None, Query(max_length=60)]


def _call(call: PartnershipCall, now: datetime) -> CallRead:
    return read(CallRead, call, is_open=call.accepts_applications(now))


def _agreement(shown: ShownAgreement) -> AgreementRead:
    return read(AgreementRead, shown.agreement, applicant_name=shown.applicant_name)


def _discussion(discussion: Discussion) -> DiscussionRead:
    return read(DiscussionRead, discussion)


# -- calls --------------------------------------------------------------------------------------------------
@router.post("/partnership-calls", status_code=201, response_model=CallRead)
async def announce(body: CallCreate, uow: Uow, actor: Staff, now: Now, idem: Idempotent) -> JSONResponse:
    """Record the city board's call: agreements open for application until ``closes_at``."""
    fields = body.fields()
    return await idem.created(
        uow, lambda: partnerships.announce_call(uow, actor=actor, now=now, fields=fields), lambda c: _call(c, now)
    )


@router.get("/partnership-calls", response_model=Page[CallRead])
async def calls(
    uow: Uow, now: Now, paging: Paging, department_code: Code = None, open_only: bool = False
) -> Page[CallRead]:
    """Calls are public: what is open for application now, and what was."""
    items, total = await partnerships.search_calls(
        uow, department_code=department_code, open_at=now if open_only else None,
        limit=paging.limit, offset=paging.offset,
    )  # fmt: skip
    return Page(items=[_call(c, now) for c in items], total=total, limit=paging.limit, offset=paging.offset)


@router.get("/partnership-calls/{call_id}", response_model=CallRead)
async def call(call_id: uuid.UUID, uow: Uow, now: Now) -> CallRead:
    return _call(await partnerships.get_call(uow, call_id=call_id), now)


# -- agreements ---------------------------------------------------------------------------------------------
@router.post("/partnerships", status_code=201, response_model=AgreementRead)
async def propose(body: AgreementCreate, uow: Uow, actor: SignedIn, now: Now, idem: Idempotent) -> JSONResponse:
    """A proposal: by the association for itself (or applying to a call), or recorded by the department's staff
    (their own initiative or an elected official's)."""
    fields = body.fields()
    return await idem.created(
        uow, lambda: partnerships.propose_agreement(uow, actor=actor, now=now, fields=fields), _agreement
    )


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
    items, total = await partnerships.search_agreements(
        uow, actor=actor, states=state, department_code=department_code, applicant_id=applicant_id,
        call_id=call_id, limit=paging.limit, offset=paging.offset,
    )  # fmt: skip
    return Page(items=[_agreement(a) for a in items], total=total, limit=paging.limit, offset=paging.offset)


@router.get("/partnerships/{agreement_id}", response_model=AgreementRead)
async def get(agreement_id: uuid.UUID, uow: Uow, actor: CurrentPrincipal) -> AgreementRead:
    return _agreement(await partnerships.get_agreement(uow, actor=actor, agreement_id=agreement_id))


@router.patch("/partnerships/{agreement_id}", response_model=AgreementRead)
async def update(agreement_id: uuid.UUID, body: AgreementUpdate, uow: Uow, actor: SignedIn) -> AgreementRead:
    changes = body.fields()
    return _agreement(await partnerships.change_agreement(uow, actor=actor, agreement_id=agreement_id, changes=changes))


@router.delete("/partnerships/{agreement_id}", status_code=204)
async def withdraw(agreement_id: uuid.UUID, uow: Uow, actor: SignedIn) -> Response:
    """The association withdraws its proposal before the department starts preparing it."""
    await partnerships.withdraw_proposal(uow, actor=actor, agreement_id=agreement_id)
    return Response(status_code=204)


@router.post("/partnerships/{agreement_id}/prepare", response_model=AgreementRead)
async def prepare(agreement_id: uuid.UUID, uow: Uow, actor: Staff, idem: Idempotent) -> JSONResponse:
    """The department starts preparing the proposal; the association can no longer change it."""
    return await idem.run(
        uow, lambda: partnerships.start_preparation(uow, actor=actor, agreement_id=agreement_id), _agreement
    )


@router.post("/partnerships/{agreement_id}/approve", response_model=AgreementRead)
async def approve(agreement_id: uuid.UUID, uow: Uow, actor: Staff, idem: Idempotent) -> JSONResponse:
    """The prepared agreement, with its goals and the city's responsible persons, is approved for signing."""
    return await idem.run(
        uow, lambda: partnerships.approve_agreement(uow, actor=actor, agreement_id=agreement_id), _agreement
    )


@router.post("/partnerships/{agreement_id}/reject", response_model=AgreementRead)
async def reject(agreement_id: uuid.UUID, body: Rejection, uow: Uow, actor: Staff, idem: Idempotent) -> JSONResponse:
    """The proposal is not taken further; the association reads why."""
    return await idem.run(
        uow,
        lambda: partnerships.reject_agreement(uow, actor=actor, agreement_id=agreement_id, reason=body.reason),
        _agreement,
    )


@router.post("/partnerships/{agreement_id}/sign", response_model=AgreementRead)
async def sign(
    agreement_id: uuid.UUID, uow: Uow, actor: Staff, now: Now, idem: Idempotent, body: AgreementSign | None = None
) -> JSONResponse:
    """Both parties signed: the agreement is in force for its term and published."""
    term = body.fields() if body else {}
    return await idem.run(
        uow,
        lambda: partnerships.sign_agreement(uow, actor=actor, agreement_id=agreement_id, now=now, **term),
        _agreement,
    )


@router.post("/partnerships/{agreement_id}/end", response_model=AgreementRead)
async def end(agreement_id: uuid.UUID, uow: Uow, actor: Staff, now: Now, idem: Idempotent) -> JSONResponse:
    """End the agreement today, before its term is over; at the term's end it ends by itself."""
    return await idem.run(
        uow, lambda: partnerships.end_agreement(uow, actor=actor, agreement_id=agreement_id, now=now), _agreement
    )


# -- yearly discussions -------------------------------------------------------------------------------------
@router.get("/partnerships/{agreement_id}/discussions", response_model=list[DiscussionRead])
async def discussions(agreement_id: uuid.UUID, uow: Uow, actor: SignedIn) -> list[DiscussionRead]:
    found = await partnership_discussions.list_discussions(uow, actor=actor, agreement_id=agreement_id)
    return [_discussion(d) for d in found]


@router.post("/partnerships/{agreement_id}/discussions", status_code=201, response_model=DiscussionRead)
async def record(
    agreement_id: uuid.UUID, body: DiscussionRecord, uow: Uow, actor: Staff, now: Now, idem: Idempotent
) -> JSONResponse:
    """Record a yearly partnership discussion as held, with its notes and the actions agreed."""
    fields = body.fields()
    return await idem.created(
        uow,
        lambda: partnership_discussions.record_discussion(
            uow, actor=actor, agreement_id=agreement_id, now=now, **fields
        ),
        _discussion,
    )


@router.get("/partnerships/{agreement_id}/discussions/{discussion_id}", response_model=DiscussionRead)
async def discussion(agreement_id: uuid.UUID, discussion_id: uuid.UUID, uow: Uow, actor: SignedIn) -> DiscussionRead:
    found = await partnership_discussions.get_discussion(
        uow, actor=actor, agreement_id=agreement_id, discussion_id=discussion_id
    )
    return _discussion(found)


@router.patch("/partnerships/{agreement_id}/discussions/{discussion_id}", response_model=DiscussionRead)
async def correct(
    agreement_id: uuid.UUID, discussion_id: uuid.UUID, body: DiscussionUpdate, uow: Uow, actor: Staff, now: Now
) -> DiscussionRead:
    corrected = await partnership_discussions.correct_discussion(
        uow, actor=actor, agreement_id=agreement_id, discussion_id=discussion_id, now=now, changes=body.fields()
    )
    return _discussion(corrected)
