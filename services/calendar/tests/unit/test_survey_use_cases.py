"""The yearly evaluation's use cases on the fake unit of work: opening hands out the tokens once and announces
none of them; each token answers once; closing (by staff or on time) announces the count of answers."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from calendar_service.domain.survey import Question, QuestionKind, SurveyAudience, SurveyState, token_hash
from calendar_service.service_layer import survey_answers, surveys
from shared.auth import Principal, Role
from shared.contracts.calendar import FeedbackSurveyClosed, FeedbackSurveyOpened
from shared.errors import Conflict, Forbidden, InvalidInput, NotFound

from ..fakes import FakeCalendarUnitOfWork

STAFF = Principal(subject="s", role=Role.STAFF, department="culture")
OTHER = Principal(subject="o", role=Role.STAFF, department="sports")
ASSOCIATION = Principal(subject="a", role=Role.ASSOCIATION, association_ids=frozenset({uuid.uuid4()}))


async def yearly(uow: FakeCalendarUnitOfWork) -> uuid.UUID:
    now = uow.clock()
    fields = {
        "title_fi": "Vuoden 2026 arviointi", "department_code": "culture",
        "audience": SurveyAudience.ALL_ASSOCIATIONS, "year": 2026,
        "opens_at": now, "closes_at": now + timedelta(days=14),
        "questions": [Question("overall", QuestionKind.SCALE, "Yleisarvosana", required=True)],
    }  # fmt: skip
    return (await surveys.create_survey(uow, actor=STAFF, fields=fields)).id


async def test_opening_hands_out_tokens_once_and_each_answers_once() -> None:
    uow = FakeCalendarUnitOfWork()
    survey_id = await yearly(uow)
    with pytest.raises(NotFound):
        await surveys.get_survey(uow, actor=OTHER, survey_id=survey_id)  # a draft is its department's
    with pytest.raises(InvalidInput):
        await surveys.open_survey(uow, actor=STAFF, survey_id=survey_id, now=uow.clock(), invitations=None)
    with pytest.raises(NotFound):
        await surveys.open_survey(uow, actor=ASSOCIATION, survey_id=survey_id, now=uow.clock(), invitations=3)
    opened = await surveys.open_survey(uow, actor=STAFF, survey_id=survey_id, now=uow.clock(), invitations=3)
    tokens = [i.token for i in opened.invitations]
    assert len(set(tokens)) == 3 and set(uow.invitations.rows) == {token_hash(t) for t in tokens}
    [announced] = uow.emitted(FeedbackSurveyOpened)
    assert announced.invitations == 3 and not any(t in announced.model_dump_json() for t in tokens)

    await survey_answers.answer_survey(
        uow, survey_id=survey_id, token=tokens[0], answers={"overall": 5}, now=uow.clock()
    )
    with pytest.raises(Conflict):
        await survey_answers.answer_survey(
            uow, survey_id=survey_id, token=tokens[0], answers={"overall": 1}, now=uow.clock()
        )
    with pytest.raises(NotFound):
        await survey_answers.answer_survey(
            uow, survey_id=uuid.uuid4(), token=tokens[1], answers={"overall": 1}, now=uow.clock()
        )
    with pytest.raises(InvalidInput):
        await survey_answers.answer_survey(uow, survey_id=survey_id, token=tokens[1], answers={}, now=uow.clock())
    assert not uow.invitations.rows[token_hash(tokens[1])].used  # a refused answer used nothing
    assert [a for _, _, a in uow.answers.rows] == [{"overall": 5}]

    with pytest.raises(Forbidden):
        await surveys.close_survey(uow, actor=OTHER, survey_id=survey_id)  # another department's
    await surveys.close_survey(uow, actor=STAFF, survey_id=survey_id)
    [closed] = uow.emitted(FeedbackSurveyClosed)
    assert closed.answers == 1
    with pytest.raises(Conflict):
        await survey_answers.answer_survey(
            uow, survey_id=survey_id, token=tokens[1], answers={"overall": 3}, now=uow.clock()
        )
    results = await survey_answers.survey_results(uow, actor=ASSOCIATION, survey_id=survey_id)
    assert results.answers == 1 and results.suppressed


async def test_the_worker_closes_surveys_whose_time_is_up() -> None:
    uow = FakeCalendarUnitOfWork()
    survey_id = await yearly(uow)
    await surveys.open_survey(uow, actor=STAFF, survey_id=survey_id, now=uow.clock(), invitations=1)
    assert await surveys.close_due_surveys(uow, uow.clock()) == 0
    assert await surveys.close_due_surveys(uow, uow.clock() + timedelta(days=14)) == 1
    assert uow.surveys.rows[survey_id].state is SurveyState.CLOSED
    assert [e.answers for e in uow.emitted(FeedbackSurveyClosed)] == [0]
