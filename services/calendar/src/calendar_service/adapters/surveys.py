"""Repositories of feedback surveys, their invitations and their anonymous answers.

Anonymity is kept in the storage too, not only by leaving the invitation out of the answer:

- an answer's row has a random id, its survey, the day and the answers: no time finer than the day, no
  sequence number, nothing of the invitation;
- it is inserted in the transaction that marks the invitation used, and that transaction **rewrites every
  invitation of the survey** (``UPDATE ... SET used = used OR token_hash = :h``), so the one transaction id the
  answer's row shares (PostgreSQL's ``xmin``) is shared by all the survey's invitations alike, and their
  physical order follows the rewrite, not the order in which they were answered. Rewriting a few hundred rows
  per answer is cheap; the rewrite also makes a survey's answers take turns.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import func, insert, select, update

from calendar_service.adapters.tables import feedback_answer, feedback_invitation, feedback_survey
from calendar_service.domain.survey import Invitation, Question, QuestionKind, Survey, SurveyAudience, SurveyState
from shared.db import Session
from shared.db.repository import Repository


class SurveyRepository(Repository[Survey]):
    table, model = feedback_survey, Survey
    enums: ClassVar[dict[str, Any]] = {"audience": SurveyAudience, "state": SurveyState}

    def _from_row(self, row: Any) -> Survey:
        survey = super()._from_row(row)
        survey.questions = [Question(**(q | {"kind": QuestionKind(q["kind"])})) for q in row["questions"]]
        return survey

    def _to_row(self, obj: Survey) -> dict[str, Any]:
        return super()._to_row(obj) | {"questions": [dataclasses.asdict(q) for q in obj.questions]}

    async def lock(self, survey_id: uuid.UUID) -> Survey | None:
        return await self.get(survey_id, for_update=True)

    async def due_to_close(self, now: datetime, *, limit: int = 100) -> list[Survey]:
        """Open surveys whose closing time has passed, claimed (``SKIP LOCKED``): replicas never close one twice."""
        t = self.table
        query = select(t).where(t.c.state == SurveyState.OPEN.value, t.c.closes_at <= now)
        return await self._all(query.order_by(t.c.closes_at).limit(limit).with_for_update(skip_locked=True))

    async def search(
        self, *, drafts_of: str | None, all_drafts: bool, event_id: uuid.UUID | None, limit: int, offset: int
    ) -> tuple[list[Survey], int]:
        t = self.table
        query = select(t)
        if not all_drafts:
            seen = t.c.state != SurveyState.DRAFT.value
            query = query.where(seen if drafts_of is None else seen | (t.c.department_code == drafts_of))
        if event_id is not None:
            query = query.where(t.c.event_id == event_id)
        return await self._page(query, [t.c.opens_at.desc(), t.c.id], limit, offset)


class InvitationRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    async def add_all(self, invitations: Sequence[Invitation]) -> None:
        if invitations:
            rows = [dataclasses.asdict(i) for i in invitations]
            await self.session.execute(insert(feedback_invitation), rows)

    async def page(self, survey_id: uuid.UUID, *, after: uuid.UUID | None, limit: int) -> list[Invitation]:
        """The survey's invitations in id order, from after ``after``: a page of at most ``limit``."""
        t = feedback_invitation
        query = select(t).where(t.c.survey_id == survey_id)
        if after is not None:
            query = query.where(t.c.id > after)
        rows = (await self.session.execute(query.order_by(t.c.id).limit(limit))).mappings()
        return [Invitation(**row) for row in rows]

    async def lock(self, survey_id: uuid.UUID, token_hash: str) -> Invitation | None:
        """The invitation of ``survey_id`` with this hash, locked until the answer is in (or None)."""
        t = feedback_invitation
        query = select(t).where(t.c.survey_id == survey_id, t.c.token_hash == token_hash).with_for_update()
        row = (await self.session.execute(query)).mappings().first()
        return None if row is None else Invitation(**row)

    async def mark_used(self, invitation: Invitation) -> None:
        """Mark it used by rewriting all the survey's invitations (see the module's note)."""
        t = feedback_invitation
        await self.session.execute(
            update(t)
            .where(t.c.survey_id == invitation.survey_id)
            .values(used=t.c.used | (t.c.token_hash == invitation.token_hash))
        )

    async def count_used(self, survey_id: uuid.UUID) -> int:
        t = feedback_invitation
        query = select(func.count()).where(t.c.survey_id == survey_id, t.c.used)
        return int((await self.session.execute(query)).scalar_one())


class AnswerRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    async def add(self, survey_id: uuid.UUID, answered_on: date, answers: dict[str, Any]) -> None:
        values = {"id": uuid.uuid4(), "survey_id": survey_id, "answered_on": answered_on, "answers": answers}
        await self.session.execute(insert(feedback_answer).values(values))

    async def of_survey(self, survey_id: uuid.UUID) -> list[dict[str, Any]]:
        t = feedback_answer
        rows = await self.session.execute(select(t.c.answers).where(t.c.survey_id == survey_id).order_by(t.c.id))
        return [dict(r) for r in rows.scalars()]
