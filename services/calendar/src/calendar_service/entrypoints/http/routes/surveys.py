"""/surveys: feedback surveys. The organising department's staff write, open and close them; whoever holds an
invitation's token answers once, without signing in; the results are aggregates (JSON and CSV).

Two mutating routes take no ``Idempotency-Key``, on purpose: a stored reply to the opening would keep the
invitations' tokens in the database (they are derived, never stored: ADR 0013), and a stored reply to an answer
would keep the exact time of that answer (an answer keeps its day only). Neither needs it: opening twice is
refused (409), and so is answering twice.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from calendar_service.domain.survey import Survey
from calendar_service.domain.survey_results import SurveyResults
from calendar_service.entrypoints.http import survey_csv
from calendar_service.entrypoints.http.deps import Now, Uow
from calendar_service.entrypoints.http.survey_schemas import (
    AnswerCreate,
    AnswerReceipt,
    InvitationRead,
    OpenedSurveyRead,
    Opening,
    QuestionResultRead,
    SurveyCreate,
    SurveyRead,
    SurveyResultsRead,
    SurveyUpdate,
)
from calendar_service.service_layer import survey_answers, surveys
from calendar_service.service_layer.surveys import OpenedSurvey
from shared.http.idempotency import Idempotent
from shared.http.pagination import Page, Paging
from shared.http.security import SignedIn, Staff

router = APIRouter(tags=["surveys"])
CSV: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "The results as CSV."}
}


def _fields(survey: Survey) -> dict[str, Any]:
    names = set(SurveyRead.model_fields) - {"questions"}
    return {n: getattr(survey, n) for n in names} | {"questions": [vars(q) for q in survey.questions]}


def read_survey(survey: Survey) -> SurveyRead:
    return SurveyRead.model_validate(_fields(survey))


def read_opened(opened: OpenedSurvey) -> OpenedSurveyRead:
    issued = [
        InvitationRead(
            invitation_id=i.invitation_id, token=i.token, registration_id=i.registration_id,
            association_id=i.association_id,
        )
        for i in opened.invitations
    ]  # fmt: skip
    return OpenedSurveyRead.model_validate(_fields(opened.survey) | {"issued": issued})


def read_results(results: SurveyResults) -> SurveyResultsRead:
    s = results.survey
    questions = [QuestionResultRead.model_validate(vars(q)) for q in results.questions]
    return SurveyResultsRead(
        survey_id=s.id, title_fi=s.title_fi, state=s.state, invitations=s.invitations, answers=results.answers,
        suppressed=results.suppressed, questions=questions,
    )  # fmt: skip


@router.post("/surveys", status_code=201, response_model=SurveyRead)
async def create(body: SurveyCreate, uow: Uow, actor: Staff, idem: Idempotent) -> JSONResponse:
    """A draft survey, seen only by its department until opened."""
    fields = body.domain_fields()
    return await idem.created(uow, lambda: surveys.create_survey(uow, actor=actor, fields=fields), read_survey)


@router.get("/surveys", response_model=Page[SurveyRead])
async def search(
    uow: Uow, actor: SignedIn, paging: Paging, event_id: Annotated[uuid.UUID | None, Query()] = None
) -> Page[SurveyRead]:
    items, total = await surveys.search_surveys(
        uow, actor=actor, event_id=event_id, limit=paging.limit, offset=paging.offset
    )
    return Page(items=[read_survey(s) for s in items], total=total, limit=paging.limit, offset=paging.offset)


@router.get("/surveys/{survey_id}", response_model=SurveyRead)
async def get(survey_id: uuid.UUID, uow: Uow, actor: SignedIn) -> SurveyRead:
    return read_survey(await surveys.get_survey(uow, actor=actor, survey_id=survey_id))


@router.patch("/surveys/{survey_id}", response_model=SurveyRead)
async def update(survey_id: uuid.UUID, body: SurveyUpdate, uow: Uow, actor: Staff) -> SurveyRead:
    changes = body.domain_changes()
    return read_survey(await surveys.update_survey(uow, actor=actor, survey_id=survey_id, changes=changes))


@router.post("/surveys/{survey_id}/open", response_model=OpenedSurveyRead)
async def open_(
    survey_id: uuid.UUID, body: Opening, uow: Uow, actor: Staff, now: Now, request: Request
) -> OpenedSurveyRead:
    """Open the draft for answers and make its invitations (409 when there is nobody to invite); the notifier
    mails each invitee its link. Only the tokens' hashes are kept."""
    key = request.app.state.settings.invitation_signing_key
    return read_opened(await surveys.open_survey(uow, actor=actor, survey_id=survey_id, now=now, key=key))


@router.post("/surveys/{survey_id}/close", response_model=SurveyRead)
async def close(survey_id: uuid.UUID, uow: Uow, actor: Staff, idem: Idempotent) -> JSONResponse:
    return await idem.run(uow, lambda: surveys.close_survey(uow, actor=actor, survey_id=survey_id), read_survey)


@router.post("/surveys/{survey_id}/answers", status_code=201, response_model=AnswerReceipt)
async def answer(survey_id: uuid.UUID, body: AnswerCreate, uow: Uow, now: Now) -> AnswerReceipt:
    """Answer with an invitation's token, once; no sign-in. The answer is kept apart from the invitation."""
    await survey_answers.answer_survey(uow, survey_id=survey_id, token=body.token, answers=body.answers, now=now)
    return AnswerReceipt()


@router.get("/surveys/{survey_id}/results", response_model=SurveyResultsRead)
async def results(survey_id: uuid.UUID, uow: Uow, actor: SignedIn) -> SurveyResultsRead:
    """Aggregates; fewer than five answers are not broken down; free-text answers to staff only."""
    return read_results(await survey_answers.survey_results(uow, actor=actor, survey_id=survey_id))


@router.get("/surveys/{survey_id}/results.csv", response_class=Response, responses=CSV)
async def results_csv(survey_id: uuid.UUID, uow: Uow, actor: SignedIn) -> Response:
    found = await survey_answers.survey_results(uow, actor=actor, survey_id=survey_id)
    return Response(survey_csv.results_csv(found), media_type=survey_csv.MEDIA_TYPE)
