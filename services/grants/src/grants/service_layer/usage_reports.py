"""Usage reports (käyttöselvitykset): every approved grant owes one by its deadline.

Publication creates the obligations; grantees submit; the programme's department accepts or asks for
changes; the worker reminds before the deadline and follows up after it, each exactly once per report.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from grants.adapters.tables import usage_report
from grants.adapters.usage_reports import ReportFilter, UsageReportRepository
from grants.domain.clock import local_date
from grants.domain.usage_report import OUTSTANDING, UsageReport, UsageReportState
from grants.service_layer.access import ensure_acts_for_applicant, ensure_department_staff, hidden
from shared.auth import Principal, Role
from shared.contracts.grants import (
    UsageReportAccepted,
    UsageReportChangesRequested,
    UsageReportDue,
    UsageReportOverdue,
    UsageReportSubmitted,
)
from shared.db.uow import UnitOfWork


async def create_obligations(uow: UnitOfWork, *, grants: list[tuple[uuid.UUID, uuid.UUID]], due_date: date) -> int:
    """One report obligation per approved grant ``(application_id, applicant_id)``; idempotent."""
    if not grants:
        return 0
    rows = [{"id": uuid.uuid4(), "application_id": a, "applicant_id": who, "due_date": due_date} for a, who in grants]
    result = await uow.session.execute(
        insert(usage_report).values(rows).on_conflict_do_nothing(index_elements=[usage_report.c.application_id])
    )
    return cast("CursorResult[Any]", result).rowcount or 0


async def applicants_owing_reports(session: AsyncSession, applicant_ids: set[uuid.UUID], today: date) -> set[uuid.UUID]:
    """Those of the applicants who owe a report past its deadline: reviewers see a flag when they apply again."""
    t = usage_report
    if not applicant_ids:
        return set()
    rows = await session.scalars(
        select(t.c.applicant_id)
        .distinct()
        .where(
            t.c.applicant_id.in_(applicant_ids),
            t.c.state.in_([s.value for s in OUTSTANDING]),
            t.c.due_date < today,
        )
    )
    return set(rows)


async def has_overdue_report(session: AsyncSession, applicant_id: uuid.UUID, today: date) -> bool:
    return applicant_id in await applicants_owing_reports(session, {applicant_id}, today)


# -- reading ------------------------------------------------------------------------------------------------
def _ensure_visible(actor: Principal, report: UsageReport | None) -> UsageReport:
    """Staff and admins see every report; a grantee only its own (others' are answered as missing)."""
    if report is None or not actor.acts_for(report.applicant_id):
        raise hidden("usage report")
    return report


async def get_report(
    uow: UnitOfWork, *, actor: Principal, report_id: uuid.UUID, for_update: bool = False
) -> UsageReport:
    report = await UsageReportRepository(uow.session).get(report_id, for_update=for_update)
    return _ensure_visible(actor, report)


async def search_reports(
    uow: UnitOfWork,
    *,
    actor: Principal,
    applicant_id: uuid.UUID | None = None,
    programme_id: uuid.UUID | None = None,
    round_id: uuid.UUID | None = None,
    states: list[UsageReportState] | None = None,
    overdue_on: date | None = None,
    limit: int,
    offset: int,
) -> tuple[list[UsageReport], int]:
    """A grantee's own reports; staff and admins any, by programme, round, applicant, state or overdue."""
    applicants: set[uuid.UUID] | None = {applicant_id} if applicant_id else None
    if actor.role is Role.ASSOCIATION:
        applicants = set(actor.association_ids) & (applicants or set(actor.association_ids))
    elif not actor.is_staff_or_admin:
        return [], 0
    where = ReportFilter(
        applicant_ids=applicants,
        programme_id=programme_id,
        round_id=round_id,
        states=states or (),
        overdue_on=overdue_on,
    )
    return await UsageReportRepository(uow.session).search(where, limit=limit, offset=offset)


def _ids(report: UsageReport) -> dict[str, uuid.UUID]:
    return {"report_id": report.id, "application_id": report.application_id, "applicant_id": report.applicant_id}


# -- the grantee reports, the department reviews ---------------------------------------------------------
async def submit_report(
    uow: UnitOfWork, *, actor: Principal, report_id: uuid.UUID, spent_cents: int, narrative: str, now: datetime
) -> UsageReport:
    """The grantee tells how the money was used; allowed late too, and then recorded as late."""
    report = await get_report(uow, actor=actor, report_id=report_id, for_update=True)
    ensure_acts_for_applicant(actor, report.applicant_id)
    report.submit(spent_cents=spent_cents, narrative=narrative, now=now)
    await UsageReportRepository(uow.session).save(report)
    uow.emit(UsageReportSubmitted(**_ids(report), spent_cents=spent_cents))
    return report


async def _for_review(uow: UnitOfWork, actor: Principal, report_id: uuid.UUID) -> UsageReport:
    report = await get_report(uow, actor=actor, report_id=report_id, for_update=True)
    assert report.department_code is not None, "a report is always read with its programme"
    ensure_department_staff(actor, report.department_code)
    return report


async def accept_report(uow: UnitOfWork, *, actor: Principal, report_id: uuid.UUID, now: datetime) -> UsageReport:
    report = await _for_review(uow, actor, report_id)
    report.accept(now)
    await UsageReportRepository(uow.session).save(report)
    uow.emit(UsageReportAccepted(**_ids(report)))
    return report


async def request_changes(uow: UnitOfWork, *, actor: Principal, report_id: uuid.UUID, message: str) -> UsageReport:
    """Send the report back with a message; the grantee sees it and submits again."""
    report = await _for_review(uow, actor, report_id)
    report.request_changes(message)
    await UsageReportRepository(uow.session).save(report)
    uow.emit(UsageReportChangesRequested(**_ids(report)))
    return report


# -- on time, by itself ------------------------------------------------------------------------------------
async def send_due_reminders(uow: UnitOfWork, now: datetime, *, reminder_days: int) -> int:
    """Remind each outstanding report's grantee once, from ``reminder_days`` before the local due date."""
    today, days = local_date(now), reminder_days
    reports = UsageReportRepository(uow.session)
    claimed = await reports.claim_for_reminder(today=today, reminder_days=days)
    due = [r for r in claimed if r.reminder_due(today, days)]
    for report in due:
        report.due_reminder_sent_at = now
        await reports.save(report)
        uow.emit(UsageReportDue(**_ids(report), due_date=report.due_date))
    return len(due)


async def send_overdue_notices(uow: UnitOfWork, now: datetime) -> int:
    """Follow up once on each report still owed after its local due date."""
    today = local_date(now)
    reports = UsageReportRepository(uow.session)
    overdue = [r for r in await reports.claim_overdue(today=today) if r.overdue_notice_due(today)]
    for report in overdue:
        report.overdue_notice_sent_at = now
        await reports.save(report)
        uow.emit(UsageReportOverdue(**_ids(report), due_date=report.due_date))
    return len(overdue)
