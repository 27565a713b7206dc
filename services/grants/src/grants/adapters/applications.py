"""Repositories for applications, review comments and scores, decisions and the public decision register.

Queries only, no rules: who may see what, and how private persons are shown, is the service layer's.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.dialects.postgresql import insert

from grants.adapters.tables import (
    applicant,
    application,
    decision,
    grant_programme,
    grant_round,
    review_comment,
    review_score,
)
from grants.domain.application import Application, ApplicationState, Decision
from grants.domain.budget import Attachment, BudgetLine
from shared.contracts.directory import ApplicantKind
from shared.db import Session
from shared.db.repository import Repository


def decision_is_public() -> ColumnElement[bool]:
    """SQL for ``Decision.is_public`` over ``decision`` joined to ``grant_round``: the round is published, or a
    publication of a continuous round (``published_at``) has covered the decision."""
    return and_(
        grant_round.c.published_at.is_not(None),
        or_(grant_round.c.state == "published", decision.c.decided_at <= grant_round.c.published_at),
    )


@dataclass
class ReviewComment:
    """An internal note between reviewers: never shown to the applicant."""

    id: uuid.UUID
    application_id: uuid.UUID
    author: str
    body: str
    created_at: datetime | None = None


@dataclass
class ReviewScore:
    application_id: uuid.UUID
    reviewer: str
    criterion: str
    score: int
    updated_at: datetime | None = None


class ApplicationRepository(Repository[Application]):
    table, model = application, Application
    enums: ClassVar[dict[str, Any]] = {"state": ApplicationState}

    def _from_row(self, row: Any) -> Application:
        found = super()._from_row(row)
        found.budget = [BudgetLine.of(line) for line in found.budget]
        found.attachments = [Attachment.of(a) for a in found.attachments]
        return found

    def _to_row(self, obj: Application) -> dict[str, Any]:
        row = super()._to_row(obj)
        row["budget"] = [asdict(line) | {"kind": line.kind.value} for line in obj.budget]
        row["attachments"] = [asdict(a) for a in obj.attachments]
        return row

    async def of_applicants(
        self,
        applicant_ids: Sequence[uuid.UUID],
        *,
        round_id: uuid.UUID | None,
        states: list[ApplicationState] | None,
        limit: int,
        offset: int,
    ) -> tuple[list[Application], int]:
        t = self.table
        query = select(t).where(t.c.applicant_id.in_(list(applicant_ids)))
        if round_id:
            query = query.where(t.c.round_id == round_id)
        if states:
            query = query.where(t.c.state.in_([s.value for s in states]))
        return await self._page(query, [t.c.created_at.desc(), t.c.id], limit, offset)

    async def in_round(
        self,
        round_id: uuid.UUID,
        *,
        states: list[ApplicationState] | None,
        applicant_id: uuid.UUID | None,
        limit: int,
        offset: int,
    ) -> tuple[list[Application], int]:
        """A round's applications as reviewers see them: submitted at least once, first come first."""
        t = self.table
        query = select(t).where(t.c.round_id == round_id, t.c.submitted_at.is_not(None))
        if states:
            query = query.where(t.c.state.in_([s.value for s in states]))
        if applicant_id:
            query = query.where(t.c.applicant_id == applicant_id)
        return await self._page(query, [t.c.submitted_at, t.c.id], limit, offset)

    async def count_in_states(self, round_id: uuid.UUID, states: Sequence[ApplicationState]) -> int:
        t = self.table
        query = select(func.count()).where(t.c.round_id == round_id, t.c.state.in_([s.value for s in states]))
        return int((await self.session.execute(query)).scalar_one())


class ReviewCommentRepository(Repository[ReviewComment]):
    table, model = review_comment, ReviewComment

    async def of_application(self, application_id: uuid.UUID) -> list[ReviewComment]:
        t = self.table
        return await self._all(select(t).where(t.c.application_id == application_id).order_by(t.c.created_at, t.c.id))


class ReviewScoreRepository:
    """Scores keyed by (application, reviewer, criterion): a reviewer's new score replaces the old one."""

    def __init__(self, session: Session) -> None:
        self.session = session

    async def upsert(self, application_id: uuid.UUID, reviewer: str, scores: dict[str, int]) -> None:
        if not scores:
            return
        t = review_score
        rows = [
            {"application_id": application_id, "reviewer": reviewer, "criterion": c, "score": s}
            for c, s in scores.items()
        ]
        statement = insert(t).values(rows)
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=[t.c.application_id, t.c.reviewer, t.c.criterion],
                set_={"score": statement.excluded.score, "updated_at": func.now()},
            )
        )

    async def of_application(self, application_id: uuid.UUID) -> list[ReviewScore]:
        t = review_score
        query = select(t).where(t.c.application_id == application_id).order_by(t.c.criterion, t.c.reviewer)
        return [ReviewScore(**r) for r in (await self.session.execute(query)).mappings()]

    async def averages(self, application_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, float]:
        """The mean of every score given to each application (all criteria, all reviewers)."""
        if not application_ids:
            return {}
        t = review_score
        query = (
            select(t.c.application_id, func.avg(t.c.score))
            .where(t.c.application_id.in_(list(application_ids)))
            .group_by(t.c.application_id)
        )
        return {a: round(float(avg), 2) for a, avg in await self.session.execute(query)}


class DecisionRepository:
    """One decision per application (its primary key); a new decision replaces the earlier one."""

    def __init__(self, session: Session) -> None:
        self.session = session

    async def get(self, application_id: uuid.UUID) -> Decision | None:
        row = (
            (await self.session.execute(select(decision).where(decision.c.application_id == application_id)))
            .mappings()
            .first()
        )
        return None if row is None else Decision(**row)

    async def of_applications(self, application_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Decision]:
        if not application_ids:
            return {}
        query = select(decision).where(decision.c.application_id.in_(list(application_ids)))
        return {r["application_id"]: Decision(**r) for r in (await self.session.execute(query)).mappings()}

    async def put(self, made: Decision) -> None:
        statement = insert(decision).values(asdict(made))
        changed = {k: statement.excluded[k] for k in ("approved_cents", "rationale", "decided_by", "decided_at")}
        await self.session.execute(
            statement.on_conflict_do_update(index_elements=[decision.c.application_id], set_=changed)
        )

    async def in_round(
        self, round_id: uuid.UUID, *, decided_after: datetime | None
    ) -> list[tuple[Decision, uuid.UUID]]:
        """A round's decisions (newer than ``decided_after`` when given), each with its applicant's id."""
        query = (
            select(decision, application.c.applicant_id)
            .join(application, application.c.id == decision.c.application_id)
            .where(decision.c.round_id == round_id)
            .order_by(decision.c.decided_at, decision.c.application_id)
        )
        if decided_after is not None:
            query = query.where(decision.c.decided_at > decided_after)
        rows = (await self.session.execute(query)).mappings()
        return [(Decision(**{k: v for k, v in r.items() if k != "applicant_id"}), r["applicant_id"]) for r in rows]


@dataclass(frozen=True)
class PublishedDecision:
    """A published decision with what the register shows of it, before private persons are pseudonymised."""

    application_id: uuid.UUID
    round_id: uuid.UUID
    programme_id: uuid.UUID
    programme_name: str
    year: int
    applicant_id: uuid.UUID
    applicant_kind: ApplicantKind | None
    applicant_name: str | None
    purpose: str
    approved_cents: int
    decided_at: datetime
    published_at: datetime


class DecisionRegisterRepository:
    """Published decisions only (``decision_is_public``), newest year first, by programme and recipient."""

    def __init__(self, session: Session) -> None:
        self.session = session

    _ORDER = (
        grant_round.c.year.desc(),
        grant_programme.c.name,
        applicant.c.name.nulls_last(),
        decision.c.application_id,
    )

    @staticmethod
    def _query(year: int | None, programme_id: uuid.UUID | None) -> Select[Any]:
        query = (
            select(
                decision.c.application_id,
                decision.c.round_id,
                grant_round.c.programme_id,
                grant_programme.c.name.label("programme_name"),
                grant_round.c.year,
                application.c.applicant_id,
                applicant.c.kind.label("applicant_kind"),
                applicant.c.name.label("applicant_name"),
                application.c.purpose,
                decision.c.approved_cents,
                decision.c.decided_at,
                grant_round.c.published_at,
            )
            .join(application, application.c.id == decision.c.application_id)
            .join(grant_round, grant_round.c.id == decision.c.round_id)
            .join(grant_programme, grant_programme.c.id == grant_round.c.programme_id)
            .join(applicant, applicant.c.id == application.c.applicant_id)
            .where(decision_is_public())
        )
        if year is not None:
            query = query.where(grant_round.c.year == year)
        if programme_id is not None:
            query = query.where(grant_round.c.programme_id == programme_id)
        return query

    @staticmethod
    def _entry(row: Any) -> PublishedDecision:
        kind = ApplicantKind(row["applicant_kind"]) if row["applicant_kind"] else None
        return PublishedDecision(**(dict(row) | {"applicant_kind": kind}))

    async def search(
        self, *, year: int | None, programme_id: uuid.UUID | None, limit: int, offset: int
    ) -> tuple[list[PublishedDecision], int]:
        query = self._query(year, programme_id)
        total = (await self.session.execute(select(func.count()).select_from(query.subquery()))).scalar_one()
        rows = (await self.session.execute(query.order_by(*self._ORDER).limit(limit).offset(offset))).mappings()
        return [self._entry(r) for r in rows], total

    async def every(self, *, year: int | None, programme_id: uuid.UUID | None) -> list[PublishedDecision]:
        rows = (await self.session.execute(self._query(year, programme_id).order_by(*self._ORDER))).mappings()
        return [self._entry(r) for r in rows]
