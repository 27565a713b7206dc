"""Answering a feedback survey with an invitation's token, and reading its results as aggregates.

An answer needs no sign-in: the token is the right to answer once. An unknown token and a token of another
survey get the same 404, so a token cannot be probed against surveys; a used one gets 409. The answer is stored
apart from the invitation (``adapters/surveys.py``), in the transaction that marks the invitation used; the
survey's row is locked first, so answers to one survey take turns (concurrent ones would otherwise deadlock
rewriting each other's invitations).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from calendar_service.domain.survey import SurveyState, token_hash
from calendar_service.domain.survey_results import SurveyResults, tally
from calendar_service.service_layer.surveys import load_survey
from calendar_service.service_layer.unit_of_work import CalendarUnitOfWork
from shared.auth import Principal
from shared.errors import Forbidden, NotFound
from shared.localtime import local_date

UNKNOWN = "No such survey or invitation."


async def answer_survey(
    uow: CalendarUnitOfWork, *, survey_id: uuid.UUID, token: str, answers: dict[str, Any], now: datetime
) -> None:
    async with uow:
        survey = await uow.surveys.lock(survey_id)  # a survey's answers take turns (each rewrites its invitations)
        invitation = None if survey is None else await uow.invitations.lock(survey_id, token_hash(token))
        if survey is None or invitation is None:
            raise NotFound(UNKNOWN, field="token")
        invitation.use()
        survey.ensure_accepts_answers(now)
        fitted = survey.check_answer(answers)
        await uow.invitations.mark_used(invitation)
        await uow.answers.add(survey.id, local_date(now), fitted)
        await uow.commit()


async def survey_results(uow: CalendarUnitOfWork, *, actor: Principal, survey_id: uuid.UUID) -> SurveyResults:
    """Staff see the results (free text too) at any time; associations' representatives see the aggregates
    once the survey has closed."""
    async with uow:
        survey = await load_survey(uow, actor, survey_id)
        if not actor.is_staff_or_admin:
            if not actor.association_ids:
                raise Forbidden("Only city staff and associations' representatives see the results.")
            if survey.state is not SurveyState.CLOSED:
                raise Forbidden("Associations see the results once the survey has closed.")
        return tally(survey, await uow.answers.of_survey(survey.id), with_free_text=actor.is_staff_or_admin)
