"""Usage reports (käyttöselvitykset): every approved grant owes one by its deadline."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any, cast

from sqlalchemy import CursorResult, exists, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from grants.adapters.tables import usage_report
from shared.db.uow import UnitOfWork
from shared.scheduling import PeriodicJob


async def create_obligations(uow: UnitOfWork, *, grants: list[tuple[uuid.UUID, uuid.UUID]], due_date: date) -> int:
    """One report obligation per approved grant ``(application_id, applicant_id)``; idempotent."""
    if not grants:
        return 0
    rows = [{"id": uuid.uuid4(), "application_id": a, "applicant_id": who, "due_date": due_date} for a, who in grants]
    result = await uow.session.execute(
        insert(usage_report).values(rows).on_conflict_do_nothing(index_elements=[usage_report.c.application_id])
    )
    return cast("CursorResult[Any]", result).rowcount or 0


async def has_overdue_report(session: AsyncSession, applicant_id: uuid.UUID, today: date) -> bool:
    """Whether the applicant owes a report past its deadline: reviewers see a flag when it applies again."""
    t = usage_report
    return bool(
        await session.scalar(
            select(
                exists().where(
                    t.c.applicant_id == applicant_id,
                    t.c.state.in_(["pending", "changes_requested"]),
                    t.c.due_date < today,
                )
            )
        )
    )


JOBS: list[PeriodicJob] = []
