"""The usage-report repository: reports with the grant they account for, the workers' claims, the obligations
publication creates, and the figures of the yearly realisation summary."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import BigInteger, DateTime, Select, and_, cast, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.sql.elements import ColumnElement

from grants.adapters.applications import decision_is_public
from grants.adapters.tables import application, decision, grant_programme, grant_round, usage_report
from grants.domain.usage_report import OUTSTANDING, UsageReport, UsageReportState
from shared.db.repository import Repository
from shared.localtime import HELSINKI

if TYPE_CHECKING:
    pass

CLAIM_BATCH = 500  # a job claims at most this many reports per run; the next run takes the rest
_OUTSTANDING = [s.value for s in OUTSTANDING]


@dataclass(frozen=True)
class ReportFilter:
    """Which reports a caller asks for; ``applicant_ids`` limits an association to its own, ``department_code``
    a department's staff to the reports of its programmes."""

    applicant_ids: Collection[uuid.UUID] | None = None
    department_code: str | None = None
    programme_id: uuid.UUID | None = None
    round_id: uuid.UUID | None = None
    states: Collection[UsageReportState] = ()
    overdue_on: date | None = None  # only reports outstanding past their due date on this local date


class UsageReportRepository(Repository[UsageReport]):
    table, model = usage_report, UsageReport
    enums: ClassVar[dict[str, Any]] = {"state": UsageReportState}

    def _with_grant(self) -> Select[Any]:
        """Reports with what they account for: the round, the programme and its department, the amount."""
        t, a, r = usage_report, application, grant_round
        return (
            select(
                t,
                a.c.round_id,
                r.c.programme_id,
                grant_programme.c.department_code,
                decision.c.approved_cents,
            )
            .select_from(t)
            .join(a, a.c.id == t.c.application_id)
            .join(r, r.c.id == a.c.round_id)
            .join(grant_programme, grant_programme.c.id == r.c.programme_id)
            .outerjoin(decision, decision.c.application_id == t.c.application_id)
        )

    async def get(self, id_: uuid.UUID, *, for_update: bool = False) -> UsageReport | None:
        query = self._with_grant().where(usage_report.c.id == id_)
        if for_update:
            query = query.with_for_update(of=usage_report)
        row = (await self.session.execute(query)).mappings().first()
        return None if row is None else self._from_row(row)

    async def search(self, where: ReportFilter, *, limit: int, offset: int) -> tuple[list[UsageReport], int]:
        t, query = usage_report, self._with_grant()
        if where.applicant_ids is not None:
            query = query.where(t.c.applicant_id.in_(list(where.applicant_ids)))
        if where.department_code is not None:
            query = query.where(grant_programme.c.department_code == where.department_code)
        if where.programme_id:
            query = query.where(grant_round.c.programme_id == where.programme_id)
        if where.round_id:
            query = query.where(application.c.round_id == where.round_id)
        if where.states:
            query = query.where(t.c.state.in_([s.value for s in where.states]))
        if where.overdue_on:
            query = query.where(t.c.state.in_(_OUTSTANDING), t.c.due_date < where.overdue_on)
        return await self._page(query, [t.c.due_date, t.c.id], limit, offset)

    async def create_obligations(self, grants: list[tuple[uuid.UUID, uuid.UUID]], due_date: date) -> int:
        """One pending report per ``(application_id, applicant_id)``; an application that has one keeps it."""
        if not grants:
            return 0
        t = usage_report
        rows = [
            {"id": uuid.uuid4(), "application_id": a, "applicant_id": who, "due_date": due_date} for a, who in grants
        ]
        result = await self.session.execute(
            insert(t).values(rows).on_conflict_do_nothing(index_elements=[t.c.application_id])
        )
        return result.rowcount or 0

    async def applicants_owing(self, applicant_ids: Collection[uuid.UUID], today: date) -> set[uuid.UUID]:
        """Those of the applicants with an outstanding report past its due date."""
        if not applicant_ids:
            return set()
        t = usage_report
        rows = await self.session.scalars(
            select(t.c.applicant_id)
            .distinct()
            .where(t.c.applicant_id.in_(list(applicant_ids)), t.c.state.in_(_OUTSTANDING), t.c.due_date < today)
        )
        return set(rows)

    async def claim_for_reminder(self, *, today: date, reminder_days: int) -> list[UsageReport]:
        """Outstanding reports in their reminder window and not yet reminded, locked for this transaction."""
        t = usage_report
        return await self._claim(
            t.c.due_reminder_sent_at.is_(None),
            t.c.due_date >= today,
            t.c.due_date <= today + timedelta(days=reminder_days),
        )

    async def claim_overdue(self, *, today: date) -> list[UsageReport]:
        """Outstanding reports past their local due date whose follow-up has not gone out, locked."""
        t = usage_report
        return await self._claim(t.c.overdue_notice_sent_at.is_(None), t.c.due_date < today)

    async def _claim(self, *conditions: ColumnElement[bool]) -> list[UsageReport]:
        t = usage_report
        query = (
            self._with_grant()  # the reminder names the programme and its department
            .where(t.c.state.in_(_OUTSTANDING), *conditions)
            .order_by(t.c.due_date, t.c.id)
            .limit(CLAIM_BATCH)
            .with_for_update(of=t, skip_locked=True)
        )
        return await self._all(query)

    async def realisation(self, *, year: int, today: date, programme_id: uuid.UUID | None) -> list[dict[str, Any]]:
        """The rows of the yearly realisation summary (see ``realisation_query``)."""
        query = realisation_query(year=year, today=today, programme_id=programme_id)
        return [dict(row) for row in (await self.session.execute(query)).mappings()]


def _end_of_due_date() -> ColumnElement[Any]:
    """The first moment after a report's local due date: midnight in Helsinki, as an aware time."""
    return func.timezone(HELSINKI.key, cast(usage_report.c.due_date + 1, DateTime(timezone=False)))


def _count(column: ColumnElement[Any]) -> ColumnElement[int]:
    """Zero where nothing was counted; sums as plain integers (PostgreSQL sums bigint as numeric)."""
    return cast(func.coalesce(column, 0), BigInteger)


def realisation_query(*, year: int, today: date, programme_id: uuid.UUID | None) -> Select[Any]:
    """Per programme with a round in ``year`` (past its draft): money and report counts, no personal data."""
    t, d, r, p = usage_report, decision, grant_round, grant_programme
    # Published decisions only: unpublished amounts stay the department's business.
    approved = and_(d.c.approved_cents > 0, decision_is_public())
    granted = (
        select(
            d.c.round_id,
            func.sum(d.c.approved_cents).filter(approved).label("granted_cents"),
            func.count().filter(approved).label("grants"),
        )
        .select_from(d)
        .join(r, r.c.id == d.c.round_id)
        .group_by(d.c.round_id)
        .subquery()
    )
    state = t.c.state
    reports = (
        select(
            application.c.round_id,
            func.count().label("reports"),
            func.count().filter(t.c.submitted_at.is_not(None)).label("reports_submitted"),
            func.count().filter(state == "accepted").label("reports_accepted"),
            func.count().filter(t.c.submitted_at >= _end_of_due_date()).label("reports_late"),
            func.count().filter(and_(state.in_(_OUTSTANDING), t.c.due_date < today)).label("reports_overdue"),
            func.sum(t.c.spent_cents).filter(state == "accepted").label("reported_cents"),
            func.sum(t.c.spent_cents).filter(state == "submitted").label("awaiting_review_cents"),
        )
        .select_from(t)
        .join(application, application.c.id == t.c.application_id)
        .group_by(application.c.round_id)
        .subquery()
    )
    query = (
        select(
            p.c.id.label("programme_id"),
            p.c.name.label("programme_name"),
            p.c.kind.label("programme_kind"),
            p.c.department_code,
            r.c.id.label("round_id"),
            r.c.state.label("round_state"),
            r.c.appropriation_cents,
            *(_count(granted.c[n]).label(n) for n in ("granted_cents", "grants")),
            *(
                _count(reports.c[n]).label(n)
                for n in (
                    "reported_cents",
                    "awaiting_review_cents",
                    "reports",
                    "reports_submitted",
                    "reports_accepted",
                    "reports_late",
                    "reports_overdue",
                )
            ),
        )
        .select_from(r)
        .join(p, p.c.id == r.c.programme_id)
        .outerjoin(granted, granted.c.round_id == r.c.id)
        .outerjoin(reports, reports.c.round_id == r.c.id)
        .where(r.c.year == year, r.c.state != "draft")
        .order_by(p.c.name, p.c.id)
    )
    return query.where(p.c.id == programme_id) if programme_id else query
