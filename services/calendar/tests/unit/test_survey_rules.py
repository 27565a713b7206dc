"""Feedback surveys' rules: an answer must fit its questions, a closed survey refuses, a used invitation refuses,
and small groups are not broken down."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from calendar_service.domain.survey import (
    Invitation,
    Question,
    QuestionKind,
    Survey,
    SurveyAudience,
    SurveyState,
    invitation_token,
    token_hash,
)
from calendar_service.domain.survey_results import MIN_GROUP, tally
from shared.errors import Conflict, InvalidInput

NOW = datetime(2027, 1, 10, 12, tzinfo=UTC)
KEY = "test-invitation-key"


def survey(**overrides: Any) -> Survey:
    fields: dict[str, Any] = {
        "id": uuid.uuid4(),
        "title_fi": "Vuoden 2026 arviointi",
        "department_code": "culture",
        "audience": SurveyAudience.ALL_ASSOCIATIONS,
        "opens_at": NOW - timedelta(days=1),
        "closes_at": NOW + timedelta(days=14),
        "questions": [
            Question("overall", QuestionKind.SCALE, "Yleisarvosana", required=True),
            Question("format", QuestionKind.SINGLE_CHOICE, "Paras muoto", ["paikan päällä", "etänä"]),
            Question("topics", QuestionKind.MULTIPLE_CHOICE, "Aiheet", ["avustukset", "tilat", "viestintä"]),
            Question("comments", QuestionKind.FREE_TEXT, "Terveiset"),
        ],
    }
    return Survey(**(fields | overrides))


def test_a_fitting_answer_is_kept_as_given_and_blank_ones_are_left_out() -> None:
    given = {"overall": 4, "format": "etänä", "topics": ["viestintä", "tilat"], "comments": "  "}
    assert survey().check_answer(given) == {"overall": 4, "format": "etänä", "topics": ["tilat", "viestintä"]}


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"overall": 6}, "answers.overall"),
        ({"overall": 0}, "answers.overall"),
        ({"overall": True}, "answers.overall"),
        ({"overall": 3.0}, "answers.overall"),
        ({"overall": "3"}, "answers.overall"),
        ({}, "answers.overall"),  # required
        ({"overall": None}, "answers.overall"),
        ({"overall": 3, "format": "kirjeitse"}, "answers.format"),
        ({"overall": 3, "format": ["etänä"]}, "answers.format"),
        ({"overall": 3, "topics": "tilat"}, "answers.topics"),
        ({"overall": 3, "topics": ["tilat", "tilat"]}, "answers.topics"),
        ({"overall": 3, "topics": ["muu"]}, "answers.topics"),
        ({"overall": 3, "comments": 5}, "answers.comments"),
        ({"overall": 3, "comments": "x" * 2001}, "answers.comments"),
        ({"overall": 3, "unknown": 1}, "answers.unknown"),
        ({"overall": 3, "\ud800": 1}, "answers.\\ud800"),
        ({"overall": 3, "comments": "\ud800 kiitos"}, "answers.comments"),
    ],
)
def test_an_answer_that_does_not_fit_its_question_is_refused_naming_it(answers: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        survey().check_answer(answers)
    assert refused.value.field == field


def test_a_survey_closes_after_it_opens_and_its_audience_matches_its_event() -> None:
    with pytest.raises(InvalidInput) as refused:
        survey(closes_at=NOW - timedelta(days=1)).validate()
    assert refused.value.field == "closes_at"
    with pytest.raises(InvalidInput, match="names the event"):
        survey(audience=SurveyAudience.EVENT_PARTICIPANTS).validate()
    with pytest.raises(InvalidInput, match="not about one event"):
        survey(event_id=uuid.uuid4()).validate()
    survey(audience=SurveyAudience.EVENT_PARTICIPANTS, event_id=uuid.uuid4()).validate()


@pytest.mark.parametrize(
    "questions",
    [
        [],
        [Question("a", QuestionKind.SCALE, "A"), Question("a", QuestionKind.SCALE, "B")],
        [Question("a", QuestionKind.SINGLE_CHOICE, "A", ["yksi"])],
        [Question("a", QuestionKind.MULTIPLE_CHOICE, "A", ["yksi", "yksi"])],
        [Question("a", QuestionKind.SCALE, "A", ["yksi", "kaksi"])],
    ],
)
def test_questions_are_checked(questions: list[Question]) -> None:
    with pytest.raises(InvalidInput):
        survey(questions=questions).validate()


def test_states_go_draft_open_closed_and_a_closed_survey_refuses_answers() -> None:
    s = survey()
    with pytest.raises(Conflict):
        s.ensure_accepts_answers(NOW)  # a draft
    with pytest.raises(Conflict):
        s.open(NOW, invitations=0)
    s.open(NOW, invitations=3)
    assert s.state is SurveyState.OPEN and s.invitations == 3
    s.ensure_accepts_answers(NOW)
    with pytest.raises(Conflict):
        s.ensure_accepts_answers(s.closes_at)  # its time is up, closed or not
    with pytest.raises(Conflict):
        s.ensure_accepts_answers(s.opens_at - timedelta(seconds=1))
    with pytest.raises(Conflict):
        s.ensure_draft()
    s.close()
    assert s.state.value == "closed"
    with pytest.raises(Conflict, match="closed"):
        s.ensure_accepts_answers(NOW)
    with pytest.raises(Conflict):
        s.close()


def test_a_survey_past_its_closing_time_does_not_open() -> None:
    with pytest.raises(Conflict):
        survey().open(NOW + timedelta(days=30), invitations=3)


def test_a_used_invitation_refuses() -> None:
    invitation, _ = Invitation.issue(KEY, uuid.uuid4())
    invitation.use()
    with pytest.raises(Conflict) as refused:
        invitation.use()
    assert refused.value.field == "token"


def test_tokens_are_derived_from_the_invitation_id_and_only_their_hash_is_kept() -> None:
    survey_id = uuid.uuid4()
    made = [Invitation.issue(KEY, survey_id) for _ in range(100)]
    tokens = {t for _, t in made}
    assert len(tokens) == 100 and all(len(t) >= 43 for t in tokens)  # 256 bits, base64url
    invitation, token = made[0]
    assert invitation.token_hash == token_hash(token) and token not in invitation.token_hash
    assert invitation.token(KEY) == token == invitation_token(KEY, invitation.id)  # the same token again
    assert invitation.token("another key") is None  # another key cannot make it
    assert invitation_token("another key", invitation.id) != token


def test_the_token_is_the_hmac_of_the_purpose_and_the_id() -> None:
    import base64
    import hashlib
    import hmac

    invitation_id = uuid.UUID("00000000-0000-4000-8000-000000000001")
    digest = hmac.new(KEY.encode(), f"survey-invitation:{invitation_id}".encode(), hashlib.sha256).digest()
    assert invitation_token(KEY, invitation_id) == base64.urlsafe_b64encode(digest).decode().rstrip("=")


def test_an_invitation_made_with_a_random_token_is_not_handed_again() -> None:
    legacy = Invitation(survey_id=uuid.uuid4(), token_hash=token_hash("a-random-token-of-old"))
    assert legacy.token(KEY) is None


def test_fewer_than_five_answers_are_not_broken_down() -> None:
    s = survey()
    few = [{"overall": 5, "comments": "kiitos"}] * (MIN_GROUP - 1)
    results = tally(s, few, with_free_text=True)
    assert results.suppressed and results.answers == MIN_GROUP - 1
    assert all(q.suppressed and q.counts is None and q.texts is None for q in results.questions)


def test_results_count_options_and_scales_and_show_free_text_to_staff_only() -> None:
    s = survey()
    answers = [{"overall": v, "format": "etänä", "topics": ["tilat"], "comments": f"t{v}"} for v in (1, 2, 3, 4, 5)]
    answers.append({"overall": 5})
    staff = tally(s, answers, with_free_text=True)
    overall, format_, topics, comments = staff.questions
    assert not staff.suppressed and staff.answers == 6
    assert overall.counts == {"1": 1, "2": 1, "3": 1, "4": 1, "5": 2} and overall.mean == 3.33
    assert format_.counts == {"paikan päällä": 0, "etänä": 5}
    assert topics.counts == {"avustukset": 0, "tilat": 5, "viestintä": 0}
    assert comments.texts == ["t1", "t2", "t3", "t4", "t5"]
    public = tally(s, answers, with_free_text=False)
    assert public.questions[3].texts is None and not public.questions[3].suppressed


def test_a_question_answered_by_fewer_than_five_is_not_broken_down() -> None:
    answers = [{"overall": 3}] * 6 + [{"overall": 3, "format": "etänä"}] * 4
    results = tally(survey(), answers, with_free_text=True)
    assert not results.questions[0].suppressed
    assert results.questions[1].suppressed and results.questions[1].answered == 4
    assert results.questions[1].counts is None


def test_the_answer_page_escapes_the_surveys_texts_and_says_when_it_is_closed() -> None:
    from calendar_service.entrypoints.http.pages.answer_page import render_answer_page

    s = survey(title_fi="<script>alert(1)</script>", state=SurveyState.OPEN)
    page = render_answer_page(s)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
    assert page.count("<fieldset>") == 3 and '<form id="answer">' in page
    s.state = SurveyState.CLOSED
    assert "Kysely on päättynyt" in render_answer_page(s) and "<fieldset>" not in render_answer_page(s)
