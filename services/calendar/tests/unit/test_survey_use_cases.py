"""The yearly evaluation's use cases on the fake unit of work: opening invites every active association of the
copy and announces no token; each token answers once; the service-only read hands the same tokens again;
closing (by staff or on time) announces the count of answers."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from calendar_service.adapters.copies import AssociationCopy
from calendar_service.domain.survey import Question, QuestionKind, SurveyAudience, SurveyState, token_hash
from calendar_service.service_layer import survey_answers, survey_invitations, surveys
from shared import directory_copy as copies
from shared.auth import Principal, Role
from shared.contracts.calendar import FeedbackSurveyClosed, FeedbackSurveyOpened
from shared.contracts.directory import ApplicantKind
from shared.errors import Conflict, Forbidden, InvalidInput, NotFound

from ..fakes import FakeCalendarUnitOfWork

STAFF = Principal(subject="s", role=Role.STAFF, department="culture")
OTHER = Principal(subject="o", role=Role.STAFF, department="sports")
ASSOCIATION = Principal(subject="a", role=Role.ASSOCIATION, association_ids=frozenset({uuid.uuid4()}))
SERVICE = Principal(subject="service:notifier", role=Role.SERVICE)
KEY = "test-invitation-key"


def associations(uow: FakeCalendarUnitOfWork, count: int, **overrides: object) -> list[uuid.UUID]:
    ids = [uuid.uuid4() for _ in range(count)]
    for i in ids:
        values: dict[str, object] = {"kind": ApplicantKind.REGISTERED_ASSOCIATION, "active": True} | overrides
        uow.applicants.rows[i] = AssociationCopy(i, fields_of_activity=[], revision=1, **values)  # type: ignore[arg-type]
    return ids


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
    with pytest.raises(Conflict):  # the copy knows no association yet
        await surveys.open_survey(uow, actor=STAFF, survey_id=survey_id, now=uow.clock(), key=KEY)
    invited = associations(uow, 3)
    associations(uow, 1, active=False)
    associations(uow, 1, kind=ApplicantKind.PRIVATE_PERSON)
    with pytest.raises(NotFound):
        await surveys.open_survey(uow, actor=ASSOCIATION, survey_id=survey_id, now=uow.clock(), key=KEY)
    opened = await surveys.open_survey(uow, actor=STAFF, survey_id=survey_id, now=uow.clock(), key=KEY)
    tokens = [i.token for i in opened.invitations]
    assert len(set(tokens)) == 3 and set(uow.invitations.rows) == {token_hash(t) for t in tokens}
    assert sorted(i.association_id for i in opened.invitations) == sorted(invited)  # type: ignore[type-var]
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
    associations(uow, 1)
    await surveys.open_survey(uow, actor=STAFF, survey_id=survey_id, now=uow.clock(), key=KEY)
    assert await surveys.close_due_surveys(uow, uow.clock()) == 0
    assert await surveys.close_due_surveys(uow, uow.clock() + timedelta(days=14)) == 1
    assert uow.surveys.rows[survey_id].state is SurveyState.CLOSED
    assert [e.answers for e in uow.emitted(FeedbackSurveyClosed)] == [0]


async def test_the_invitations_read_hands_the_same_tokens_again_to_a_service_only() -> None:
    uow = FakeCalendarUnitOfWork()
    survey_id = await yearly(uow)
    with pytest.raises(NotFound):
        await survey_invitations.invitations(uow, actor=SERVICE, survey_id=uuid.uuid4(), cursor=None, limit=2, key=KEY)
    with pytest.raises(Conflict):  # a draft has no invitations to hand
        await survey_invitations.invitations(uow, actor=SERVICE, survey_id=survey_id, cursor=None, limit=2, key=KEY)
    associations(uow, 5)
    opened = await surveys.open_survey(uow, actor=STAFF, survey_id=survey_id, now=uow.clock(), key=KEY)
    for actor in (STAFF, ASSOCIATION, Principal(subject="x", role=Role.ADMIN)):
        with pytest.raises(Forbidden):
            await survey_invitations.invitations(uow, actor=actor, survey_id=survey_id, cursor=None, limit=2, key=KEY)
    handed, cursor, pages = [], None, 0
    while True:
        page = await survey_invitations.invitations(
            uow, actor=SERVICE, survey_id=survey_id, cursor=cursor, limit=2, key=KEY
        )
        handed += page.items
        pages += 1
        if (cursor := page.next_cursor) is None:
            break
    assert pages == 3 and len(handed) == 5
    assert {(h.invitation_id, h.token, h.association_id) for h in handed} == {
        (i.invitation_id, i.token, i.association_id) for i in opened.invitations
    }
    with pytest.raises(InvalidInput) as bad:
        await survey_invitations.invitations(uow, actor=SERVICE, survey_id=survey_id, cursor="x", limit=2, key=KEY)
    assert bad.value.field == "query.cursor"
    await survey_answers.answer_survey(
        uow, survey_id=survey_id, token=handed[0].token, answers={"overall": 4}, now=uow.clock()
    )  # a handed token answers
    await surveys.close_survey(uow, actor=STAFF, survey_id=survey_id)
    with pytest.raises(Conflict):
        await survey_invitations.invitations(uow, actor=SERVICE, survey_id=survey_id, cursor=None, limit=2, key=KEY)


async def test_the_copy_keeps_the_newest_state_of_an_association() -> None:
    uow = FakeCalendarUnitOfWork()
    a = uuid.uuid4()
    await copies.copy_applicant_status(uow, applicant_id=a, active=False, revision=3)
    await copies.copy_applicant(
        uow, applicant_id=a, kind=ApplicantKind.REGISTERED_ASSOCIATION, name="Seura ry", active=True,
        fields_of_activity=["sport"], revision=4,
    )  # fmt: skip
    await copies.copy_applicant_status(uow, applicant_id=a, active=False, revision=2)  # late: ignored
    assert await uow.applicants.invited_ids(limit=10) == [a]
