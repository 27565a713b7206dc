"""/applications: the applicant drafts, edits, submits and withdraws; reviewers comment, score and decide.

The applicant's view (``ApplicationRead``) never carries comments or scores; the reviewers' view lives at
``/applications/{id}/review``. A round's decisions become public with ``POST /rounds/{id}/publish``.
Every POST takes an ``Idempotency-Key``: a retried request gets the first answer, not a second effect.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from grants.domain.application import Application, ApplicationState, Decision
from grants.entrypoints.http.deps import Now, Uow
from grants.entrypoints.http.schemas.applications import (
    ApplicationCreate,
    ApplicationRead,
    ApplicationUpdate,
    CommentCreate,
    CommentRead,
    CompletionRequest,
    DecisionIn,
    DecisionRead,
    DecisionResult,
    PublicationRead,
    ReviewRead,
    ReviewSummary,
    ScoreRead,
    ScoresIn,
    ScoresRead,
    StaffDecisionRead,
)
from grants.entrypoints.http.schemas.common import read
from grants.service_layer import applications, decisions, reviews
from grants.service_layer.reviews import ReviewScore
from shared.http.idempotency import Idempotent
from shared.http.pagination import Page, Paging
from shared.http.security import SignedIn, Staff

router = APIRouter(tags=["applications"])
States = Annotated[list[ApplicationState] | None, Query(alias="state")]


def _read(app: Application, decision: Decision | None = None) -> ApplicationRead:
    return read(ApplicationRead, app, decision=read(DecisionRead, decision) if decision else None)


def _scores(scores: list[ReviewScore]) -> ScoresRead:
    return ScoresRead(
        scores=[read(ScoreRead, s) for s in scores],
        criterion_averages=reviews.criterion_averages(scores),
        average_score=round(sum(s.score for s in scores) / len(scores), 2) if scores else None,
    )


def _summary(r: reviews.Reviewed, model: type[ReviewSummary] = ReviewSummary, **extra: object) -> ReviewSummary:
    fields = vars(r.application) | {
        "applicant_name": r.applicant.name if r.applicant else None,
        "applicant_kind": r.applicant.kind if r.applicant else None,
        "overdue_usage_report": r.overdue_usage_report,
        "average_score": r.average_score,
        "decision": read(StaffDecisionRead, r.decision) if r.decision else None,
    }
    return model.model_validate(fields | extra, from_attributes=True)


def _publication(done: decisions.Publication) -> PublicationRead:
    assert done.round.published_at is not None
    return PublicationRead(
        round_id=done.round.id,
        round_state=done.round.state.value,
        published_at=done.round.published_at,
        decisions=done.decisions,
        granted_cents=done.granted_cents,
        usage_reports=done.usage_reports,
    )


# -- the applicant ----------------------------------------------------------------------------------------
@router.post("/applications", status_code=201, response_model=ApplicationRead)
async def create(body: ApplicationCreate, uow: Uow, actor: SignedIn, now: Now, idem: Idempotent) -> JSONResponse:
    """Start a draft for one of the applicants in your token; only you see it until it is submitted."""
    return await idem.created(
        uow, lambda: applications.create_application(uow, actor=actor, now=now, fields=body.fields()), _read
    )


@router.get("/applications", response_model=Page[ApplicationRead])
async def list_own(
    uow: Uow,
    actor: SignedIn,
    paging: Paging,
    applicant_id: uuid.UUID | None = None,
    round_id: uuid.UUID | None = None,
    state: States = None,
) -> Page[ApplicationRead]:
    """The applications of the applicants you act for, newest first."""
    items, total = await applications.list_own_applications(
        uow, actor=actor, applicant_id=applicant_id, round_id=round_id, states=state,
        limit=paging.limit, offset=paging.offset,
    )  # fmt: skip
    return Page(items=[_read(a) for a in items], total=total, limit=paging.limit, offset=paging.offset)


@router.get("/applications/{application_id}", response_model=ApplicationRead)
async def get(application_id: uuid.UUID, uow: Uow, actor: SignedIn) -> ApplicationRead:
    app, decision = await applications.get_application(uow, actor=actor, application_id=application_id)
    return _read(app, decision)


@router.patch("/applications/{application_id}", response_model=ApplicationRead)
async def update(application_id: uuid.UUID, body: ApplicationUpdate, uow: Uow, actor: SignedIn) -> ApplicationRead:
    """Edit a draft, or an application returned for completion."""
    app = await applications.update_application(uow, actor=actor, application_id=application_id, changes=body.changes())
    return _read(app)


@router.post("/applications/{application_id}/submit", response_model=ApplicationRead)
async def submit(application_id: uuid.UUID, uow: Uow, actor: SignedIn, now: Now, idem: Idempotent) -> JSONResponse:
    """Submit within the application period (a returned application: until the decisions are published)."""
    return await idem.run(
        uow, lambda: applications.submit_application(uow, actor=actor, application_id=application_id, now=now), _read
    )


@router.post("/applications/{application_id}/withdraw", response_model=ApplicationRead)
async def withdraw(application_id: uuid.UUID, uow: Uow, actor: SignedIn, idem: Idempotent) -> JSONResponse:
    """Withdraw before the decision (or discard a draft)."""
    return await idem.run(
        uow, lambda: applications.withdraw_application(uow, actor=actor, application_id=application_id), _read
    )


# -- the reviewers ----------------------------------------------------------------------------------------
@router.get("/rounds/{round_id}/applications", response_model=Page[ReviewSummary])
async def list_round(
    round_id: uuid.UUID,
    uow: Uow,
    actor: Staff,
    now: Now,
    paging: Paging,
    state: States = None,
    applicant_id: uuid.UUID | None = None,
) -> Page[ReviewSummary]:
    """A round's submitted applications, first come first, for staff of the responsible department."""
    items, total = await reviews.list_round_applications(
        uow, actor=actor, round_id=round_id, now=now, states=state, applicant_id=applicant_id,
        limit=paging.limit, offset=paging.offset,
    )  # fmt: skip
    return Page(items=[_summary(r) for r in items], total=total, limit=paging.limit, offset=paging.offset)


@router.get("/applications/{application_id}/review", response_model=ReviewRead)
async def review(application_id: uuid.UUID, uow: Uow, actor: Staff, now: Now) -> ReviewSummary:
    r = await reviews.review_application(uow, actor=actor, application_id=application_id, now=now)
    return _summary(
        r,
        ReviewRead,
        comments=[read(CommentRead, c) for c in r.comments or []],
        scores=_scores(r.scores or []),
    )


@router.post("/applications/{application_id}/return", response_model=ApplicationRead)
async def return_(
    application_id: uuid.UUID, body: CompletionRequest, uow: Uow, actor: Staff, idem: Idempotent
) -> JSONResponse:
    """Ask the applicant to complete the application; it can then be edited and submitted again."""
    return await idem.run(
        uow,
        lambda: reviews.return_for_completion(uow, actor=actor, application_id=application_id, message=body.message),
        _read,
    )


@router.post("/applications/{application_id}/comments", status_code=201, response_model=CommentRead)
async def comment(
    application_id: uuid.UUID, body: CommentCreate, uow: Uow, actor: Staff, idem: Idempotent
) -> JSONResponse:
    """An internal note for the other reviewers; never shown to the applicant."""
    return await idem.created(
        uow,
        lambda: reviews.add_comment(uow, actor=actor, application_id=application_id, body=body.body),
        lambda made: read(CommentRead, made),
    )


@router.get("/applications/{application_id}/comments", response_model=list[CommentRead])
async def comments(application_id: uuid.UUID, uow: Uow, actor: Staff) -> list[CommentRead]:
    found = await reviews.list_comments(uow, actor=actor, application_id=application_id)
    return [read(CommentRead, c) for c in found]


@router.put("/applications/{application_id}/scores", response_model=ScoresRead)
async def score(application_id: uuid.UUID, body: ScoresIn, uow: Uow, actor: Staff) -> ScoresRead:
    """Your scores per criterion (0–5); every reviewer scores separately and the averages are shown."""
    scores = await reviews.score_application(uow, actor=actor, application_id=application_id, scores=body.scores)
    return _scores(scores)


@router.put("/applications/{application_id}/decision", response_model=DecisionResult)
async def decide(application_id: uuid.UUID, body: DecisionIn, uow: Uow, actor: Staff, now: Now) -> DecisionResult:
    """Decide (or, until published, re-decide) the approved amount, 0 … requested, within the appropriation."""
    app, made = await decisions.decide(
        uow, actor=actor, application_id=application_id, approved_cents=body.approved_cents,
        rationale=body.rationale, now=now,
    )  # fmt: skip
    return DecisionResult(application_id=app.id, state=app.state, decision=read(StaffDecisionRead, made))


@router.post("/rounds/{round_id}/publish", response_model=PublicationRead)
async def publish(round_id: uuid.UUID, uow: Uow, actor: Staff, now: Now, idem: Idempotent) -> JSONResponse:
    """Make the round's decisions public (a continuous round: those made since the last publication)."""
    return await idem.run(uow, lambda: decisions.publish(uow, actor=actor, round_id=round_id, now=now), _publication)
